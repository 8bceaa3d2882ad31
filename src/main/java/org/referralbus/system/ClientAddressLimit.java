package org.referralbus.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.ErrorCode;
import org.referralbus.intake.IntakeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first filter of every request, ahead of Spring Security: before the TLS certificate is mapped to a participant
 * and checked against the CRLs and registries, before a console password is hashed, before any body is read, one
 * client address may have at most {@code referral-bus.intake.address-limit.max-concurrent} requests in progress.
 * The next one is answered {@code 429} ({@code concurrency_limited}, {@code Retry-After: 1}) and its connection is
 * closed ({@code Connection: close}), so a flooding address keeps neither a thread nor a kept-alive connection.
 * Refusals are counted per address into the audit trail ({@link RefusalTally}), with one log line per window.
 *
 * <p>Implementation note: one counter per address in a {@link ConcurrentHashMap}, incremented with {@code merge}
 * and decremented with {@code computeIfPresent}, which drops the entry at zero: the map only ever holds addresses
 * with requests in progress (at most {@code server.tomcat.max-connections}). The per-participant rate limit
 * ({@link RateLimitFilter}) still applies after authentication; this cap is what protects the work before it.
 */
@Component
class ClientAddressLimit extends OncePerRequestFilter implements Ordered {

    private static final Logger log = LoggerFactory.getLogger(ClientAddressLimit.class);

    private final IntakeProperties.AddressLimit limit;
    private final ProblemResponses problems;
    private final RefusalTally refusals;
    private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();

    ClientAddressLimit(IntakeProperties intake, ProblemResponses problems, RefusalTally refusals) {
        this.limit = intake.addressLimit();
        this.problems = problems;
        this.refusals = refusals;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!limit.enabled()) {
            chain.doFilter(request, response);
            return;
        }
        String address = request.getRemoteAddr();
        int now = inProgress.merge(address, 1, Integer::sum);
        try {
            if (now > limit.maxConcurrent()) {
                refuse(address, response);
            } else {
                chain.doFilter(request, response);
            }
        } finally {
            inProgress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Requests from {@code address} in progress now. */
    int inProgress(String address) {
        return inProgress.getOrDefault(address, 0);
    }

    private void refuse(String address, HttpServletResponse response) throws IOException {
        if (refusals.count(AuditEvent.of(AuditEventType.REJECTED, null, "address:" + address)
                .withDetail(ErrorCode.CONCURRENCY_LIMITED.code()))) {
            log.info("Concurrency limit reached: address={} maxConcurrent={}", address, limit.maxConcurrent());
        }
        problems.refuseAhead(response, ErrorCode.CONCURRENCY_LIMITED);
    }
}
