package org.referralbus.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs after authorisation on every API request: a participant over its budget gets {@code 429} with
 * {@code Retry-After} and code {@code rate_limited} before any body is read or any envelope opened. Refusals are
 * counted, not written one by one: one audit row per participant per window with the count ({@link RefusalTally}),
 * and one log line for the first refusal of the window. Not a bean, so the servlet container does not register it
 * twice.
 */
class RateLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    private final ParticipantRateLimiter limiter;
    private final ProblemResponses problems;
    private final RefusalTally refusals;

    RateLimitFilter(ParticipantRateLimiter limiter, ProblemResponses problems, RefusalTally refusals) {
        this.limiter = limiter;
        this.problems = problems;
        this.refusals = refusals;
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
        if (refusals.count(AuditEvent.of(AuditEventType.REJECTED, null, participant).withDetail(ErrorCode.RATE_LIMITED.code()))) {
            log.info("Rate limit reached: participant={} retryAfterSeconds={}", participant, retryAfterSeconds);
        }
        response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        ErrorCode code = ErrorCode.RATE_LIMITED;
        problems.write(response, code.httpStatus(), code.code(), code.title());
    }
}
