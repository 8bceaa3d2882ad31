package org.referralbus.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.referralbus.core.ErrorCode;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Counts the referral flow where the trail records it, so a Prometheus counter and the audit trail never disagree
 * about what happened: {@code referralbus.referrals.received}, {@code .rejected} (tag {@code code}, an
 * {@link ErrorCode}), {@code .routed}, {@code .delivered}, {@code .acknowledged} (tag {@code decision}),
 * {@code .dead.lettered}. An event is counted once its transaction commits, never for a rollback. Tags hold codes
 * only: no id, no referral content, and a bounded set of values.
 */
public class AuditMetrics {

    private static final Set<String> CODES = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());

    /** For the command line and unit tests: counts nothing. */
    static final AuditMetrics NONE = new AuditMetrics(null);

    private final MeterRegistry registry;

    public AuditMetrics(MeterRegistry registry) {
        this.registry = registry;
        if (registry != null) {
            for (String name : new String[] {"received", "routed", "delivered", "dead.lettered"}) {
                Counter.builder("referralbus.referrals." + name).register(registry);
            }
        }
    }

    void recorded(AuditEvent event) {
        if (registry == null) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    count(event);
                }
            });
        } else {
            count(event);
        }
    }

    private void count(AuditEvent event) {
        switch (event.type()) {
            case RECEIVED -> registry.counter("referralbus.referrals.received").increment();
            case REJECTED -> registry.counter("referralbus.referrals.rejected", "code", code(event.detail()))
                    .increment(refusals(event.detail()));
            case ROUTED -> registry.counter("referralbus.referrals.routed").increment();
            case DELIVERED -> registry.counter("referralbus.referrals.delivered").increment();
            case ACKNOWLEDGED, DECLINED -> registry.counter("referralbus.referrals.acknowledged",
                    "decision", event.type().name().toLowerCase(Locale.ROOT)).increment();
            case DEAD_LETTERED -> registry.counter("referralbus.referrals.dead.lettered").increment();
            default -> {
                // other events (audit queries, configuration, checkpoints) are not flow counters
            }
        }
    }

    /** The code of a rejection; a tallied row ({@link RefusalTally}) reads {@code rate_limited;count=137}. */
    private static String code(String detail) {
        String code = detail == null ? "" : detail.split(";", 2)[0];
        return CODES.contains(code) ? code : "other";
    }

    private static double refusals(String detail) {
        int at = detail == null ? -1 : detail.indexOf(";count=");
        if (at < 0) {
            return 1;
        }
        try {
            return Long.parseLong(detail.substring(at + ";count=".length()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
