package org.referralbus.retention;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.dedupe.ReferralLedger.KeptEnvelope;
import org.referralbus.dedupe.StoredReferral;
import org.referralbus.delivery.NeedLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Purges sealed envelopes and sealed copies {@code referral-bus.retention.keep-after-closed} after every need of
 * their referral was closed, with one PURGED row per referral (its id, the sender, the envelope's hash, counts).
 * A referral still being processed, or with any need open, keeps them. Safe on several instances at once: a copy
 * is removed once, and only the instance that removed something writes the row.
 */
@Component
public class RetentionPurge {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

    private final ReferralLedger referrals;
    private final NeedLedger needs;
    private final SealedCopyRemoval removal;
    private final AuditTrail audit;
    private final RetentionProperties properties;
    private final Clock clock;

    RetentionPurge(ReferralLedger referrals, NeedLedger needs, SealedCopyRemoval removal, AuditTrail audit,
                   RetentionProperties properties, Clock clock) {
        this.referrals = referrals;
        this.needs = needs;
        this.removal = removal;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${referral-bus.retention.interval:1h}", initialDelayString = "${referral-bus.retention.interval:1h}")
    void scheduled() {
        try {
            int purged = purge(OffsetDateTime.now(clock));
            if (purged > 0) {
                log.info("Retention: purged the sealed envelopes of {} closed referrals", purged);
            }
        } catch (RuntimeException e) {
            // Nothing is lost by waiting: the next run purges what this one did not.
            log.warn("Retention purge failed: {}", e.getClass().getName());
        }
    }

    /** Purges what expired by {@code now}; returns the number of referrals purged. */
    public int purge(OffsetDateTime now) {
        OffsetDateTime cutoff = now.minus(properties.keepAfterClosed());
        int purged = 0;
        for (KeptEnvelope kept : referrals.keptEnvelopes(cutoff)) {
            Optional<OffsetDateTime> closed = kept.state() == StoredReferral.State.RECEIVED ? Optional.empty()
                    : needs.closedAt(kept.sender(), kept.referralId());
            if (closed.isPresent() && closed.get().isBefore(cutoff)
                    && removal.remove(kept.sender(), kept.referralId(), kept.envelopeSha256(), AuditEventType.PURGED,
                    audit.busActor(), "retention:closed+" + properties.keepAfterClosed()).anything()) {
                purged++;
            }
        }
        return purged;
    }
}
