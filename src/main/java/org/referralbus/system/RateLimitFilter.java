package org.referralbus.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs after authorisation on every API request: a participant over its budget gets {@code 429} with
 * {@code Retry-After} and code {@code rate_limited} before any body is read or any envelope opened, and the
 * refusal is audited (ids and the code only). Not a bean, so the servlet container does not register it twice.
 */
class RateLimitFilter extends OncePerRequestFilter {

    private final ParticipantRateLimiter limiter;
    private final ProblemResponses problems;
    private final AuditTrail audit;

    RateLimitFilter(ParticipantRateLimiter limiter, ProblemResponses problems, AuditTrail audit) {
        this.limiter = limiter;
        this.problems = problems;
        this.audit = audit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            chain.doFilter(request, response);
            return;
        }
        String participant = authentication.getName();
        long retryAfterSeconds = limiter.acquire(participant);
        if (retryAfterSeconds == 0) {
            chain.doFilter(request, response);
            return;
        }
        audit.record(AuditEvent.of(AuditEventType.REJECTED, null, participant).withDetail(ErrorCode.RATE_LIMITED.code()));
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        ErrorCode code = ErrorCode.RATE_LIMITED;
        problems.write(response, code.httpStatus(), code.code(), code.title());
    }
}
