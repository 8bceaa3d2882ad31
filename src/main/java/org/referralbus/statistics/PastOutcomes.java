package org.referralbus.statistics;

import java.time.OffsetDateTime;

/**
 * Where the needs of a referral filed before statistics existed stand, for the backfill. Implemented by the delivery
 * feature, which owns the needs, so that statistics need not know it.
 */
public interface PastOutcomes {

    /**
     * @param acceptedAt  the first acceptance by a provider, null if none
     * @param declinedAt  the first decline, if it came before any escalation or acceptance; else null
     * @param escalatedAt the first escalation, if it came before any acceptance; else null
     */
    record PastOutcome(Outcome outcome, OffsetDateTime acceptedAt, OffsetDateTime declinedAt, OffsetDateTime escalatedAt) {
    }

    PastOutcome of(String sender, String referralId);
}
