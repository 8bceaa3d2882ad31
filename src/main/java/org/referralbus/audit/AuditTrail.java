package org.referralbus.audit;

import java.time.Clock;
import java.time.OffsetDateTime;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends events to the hash-chained trail. Each append locks the single head row, so writers on several bus
 * instances sharing one database still produce one gap-free sequence. An append joins the caller's transaction
 * when there is one, so that a state change and the event that records it commit together (a crash between two
 * commits would leave the change done and its event never written, since a retry finds nothing left to change);
 * otherwise it is its own transaction.
 */
@Component
public class AuditTrail {

    private final AuditRows rows;
    private final TransactionTemplate transaction;
    private final String busActor;
    private final Clock clock;
    private final AuditMetrics metrics;

    public AuditTrail(JdbcTemplate jdbc, PlatformTransactionManager transactions, AuditProperties properties, Clock clock) {
        this(jdbc, transactions, properties, clock, AuditMetrics.NONE);
    }

    @Autowired
    public AuditTrail(JdbcTemplate jdbc, PlatformTransactionManager transactions, AuditProperties properties, Clock clock,
                      ObjectProvider<AuditMetrics> metrics) {
        this(jdbc, transactions, properties, clock, metrics.getIfAvailable(() -> AuditMetrics.NONE));
    }

    private AuditTrail(JdbcTemplate jdbc, PlatformTransactionManager transactions, AuditProperties properties, Clock clock,
                       AuditMetrics metrics) {
        this.metrics = metrics;
        this.rows = new AuditRows(jdbc);
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.busActor = properties.busActor();
        this.clock = clock;
    }

    /** The bus's own id, as the actor of the rows it writes itself ({@code referral-bus.audit.bus-actor}). */
    public String busActor() {
        return busActor;
    }

    /** Appends the event and returns its sequence number. */
    public long record(AuditEvent event) {
        Long seq = transaction.execute(status -> {
            AuditRows.Head head = rows.lockHead();
            long next = head.seq() + 1;
            String prevHash = head.hash();
            OffsetDateTime at = AuditChain.normalise(OffsetDateTime.now(clock));
            String hash = AuditChain.hash(next, at, event, prevHash);
            rows.append(next, at, event, prevHash, hash);
            metrics.recorded(event);
            return next;
        });
        return seq == null ? -1 : seq;
    }

    /**
     * Appends the events in order, under one lock of the head and in one transaction (or the caller's): the same
     * rows and chain as one {@link #record} per event, for a fraction of the round trips and commits. Returns the
     * last sequence number.
     */
    public long recordAll(java.util.List<AuditEvent> events) {
        if (events.isEmpty()) {
            return -1;
        }
        Long seq = transaction.execute(status -> {
            AuditRows.Head head = rows.lockHead();
            long next = head.seq();
            String prevHash = head.hash();
            OffsetDateTime at = AuditChain.normalise(OffsetDateTime.now(clock));
            java.util.List<AuditRows.Row> appended = new java.util.ArrayList<>();
            for (AuditEvent event : events) {
                next++;
                String hash = AuditChain.hash(next, at, event, prevHash);
                appended.add(new AuditRows.Row(next, at, event, prevHash, hash));
                prevHash = hash;
            }
            rows.appendAll(appended);
            events.forEach(metrics::recorded);
            return next;
        });
        return seq == null ? -1 : seq;
    }
}
