package org.referralbus.retention;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.delivery.DeliveryLedger;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes a referral's sealed envelope and its providers' sealed copies, and records it in the trail in the same
 * transaction: the removal and its audit row commit together or not at all. Only the sealed bytes go; the
 * referral and delivery rows keep their ids, states and hashes, and the audit trail is never touched, so it still
 * verifies and still names each envelope by its hash.
 */
@Component
class SealedCopyRemoval {

    /** What one removal took away: whether the envelope was still there, and the deliveries whose copies went. */
    record Removed(boolean envelope, List<String> deliveries) {
        boolean anything() {
            return envelope || !deliveries.isEmpty();
        }
    }

    private final ReferralLedger referrals;
    private final DeliveryLedger deliveries;
    private final AuditTrail audit;
    private final TransactionTemplate transaction;
    private final Clock clock;

    SealedCopyRemoval(ReferralLedger referrals, DeliveryLedger deliveries, AuditTrail audit,
                      PlatformTransactionManager transactions, Clock clock) {
        this.referrals = referrals;
        this.deliveries = deliveries;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /**
     * @param type   PURGED (retention) or ERASED (on request)
     * @param actor  the bus for retention, the coordinator for an erasure
     * @param reason a code: {@code retention:<period>} or {@code erasure-request}
     */
    Removed remove(String sender, String referralId, String envelopeSha256, AuditEventType type, String actor, String reason) {
        return transaction.execute(status -> {
            boolean envelope = referrals.removeEnvelope(sender, referralId, type == AuditEventType.ERASED ? "ERASURE" : "RETENTION",
                    OffsetDateTime.now(clock));
            List<String> copies = deliveries.removeSealedCopies(sender, referralId);
            Removed removed = new Removed(envelope, copies);
            if (removed.anything() || type == AuditEventType.ERASED) {
                audit.record(new AuditEvent(type, referralId, actor, sender, envelopeSha256, detail(reason, removed)));
            }
            return removed;
        });
    }

    private static String detail(String reason, Removed removed) {
        String detail = reason + ";envelope:" + (removed.envelope ? "removed" : "none-kept") + ";sealed-copies:" + removed.deliveries.size();
        return detail.length() > 256 ? detail.substring(0, 256) : detail;
    }
}
