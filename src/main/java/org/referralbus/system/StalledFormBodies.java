package org.referralbus.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.Causes;
import org.referralbus.core.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A form body (the console's sign-in) that stopped arriving or fell behind the pace ({@link UploadPacing}) fails inside
 * Tomcat's parsing of parameters, which closes the connection without an answer ({@code CLOSE_NOW}: nothing can be
 * written) and throws its {@code ClientAbortException} out of whichever filter asked first. Before, that was all: no
 * line, no row. Here it is counted into the trail per address as {@code upload_incomplete} ({@link RefusalTally}: the
 * sender may be anybody, so one row per address and window), logged once per row, and not thrown on.
 */
@Component
class StalledFormBodies extends OncePerRequestFilter implements Ordered {

    private static final Logger log = LoggerFactory.getLogger(StalledFormBodies.class);

    private final RefusalTally refusals;

    StalledFormBodies(RefusalTally refusals) {
        this.refusals = refusals;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1; // inside the address limit, ahead of the security chains
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException failure) {
            // Tomcat answers a read that timed out 408 at once (and suspends the answer): only then is it this body's
            if (response.getStatus() != ErrorCode.UPLOAD_INCOMPLETE.httpStatus()
                    || !(readTimeout(failure) instanceof SocketTimeoutException timedOut)) {
                throw failure;
            }
            String address = request.getRemoteAddr();
            if (refusals.count(AuditEvent.of(AuditEventType.REJECTED, null, "address:" + address)
                    .withDetail(ErrorCode.UPLOAD_INCOMPLETE.code()))) {
                log.info("A form body from {} did not arrive whole: {}", address,
                        timedOut.getMessage() != null ? timedOut.getMessage() : "nothing more arrived within the upload timeout");
            }
        }
    }

    private static Throwable readTimeout(Throwable failure) {
        return Causes.find(failure, SocketTimeoutException.class).orElse(null);
    }
}
