package org.referralbus.audit;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
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

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public AuditTrail(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.clock = clock;
    }

    /** Appends the event and returns its sequence number. */
    public long record(AuditEvent event) {
        Long seq = transaction.execute(status -> {
            Map<String, Object> head = jdbc.queryForMap("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
            long next = ((Number) head.get("SEQ")).longValue() + 1;
            String prevHash = ((String) head.get("HASH")).trim();
            OffsetDateTime at = AuditChain.normalise(OffsetDateTime.now(clock));
            String hash = AuditChain.hash(next, at, event, prevHash);
            jdbc.update("INSERT INTO audit_event (seq, at, event_type, referral_id, actor, counterpart, envelope_sha256, "
                            + "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    next, at, event.type().name(), event.referralId(), event.actor(), event.counterpart(),
                    event.envelopeSha256(), event.detail(), prevHash, hash);
            jdbc.update("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", next, hash);
            return next;
        });
        return seq == null ? -1 : seq;
    }
}
