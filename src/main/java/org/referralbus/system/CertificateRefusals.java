package org.referralbus.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.ErrorCode;
import org.referralbus.participants.CertificateRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.stereotype.Component;

/**
 * What happens when a client certificate from the CA does not get a participant in: the refusal is counted into the
 * audit trail (one row per claimant and reason per window, {@link RefusalTally}), the first of a window is logged in
 * one line, and the request goes on unauthenticated, so access control answers it {@code 401} with the reason's code
 * ({@link #problemFor}). A look-alike repeating its request cannot flood the trail or the log.
 */
@Component
class CertificateRefusals implements AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(CertificateRefusals.class);

    private final RefusalTally refusals;

    CertificateRefusals(RefusalTally refusals) {
        this.refusals = refusals;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException exception) {
        if (exception instanceof CertificateRefusedException refused && refusals.count(AuditEvent.of(
                AuditEventType.REJECTED, null, refused.claimant()).withDetail(refused.errorCode().code()))) {
            log.info("Client certificate refused: code={} claimant={} address={}: {}", refused.errorCode().code(),
                    refused.claimant(), request.getRemoteAddr(), refused.getMessage());
        }
    }

    /** The code to answer an unauthenticated request with: the certificate's refusal, if this request had one. */
    static ErrorCode problemFor(HttpServletRequest request) {
        return request.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) instanceof CertificateRefusedException refused
                ? refused.errorCode() : null;
    }
}
