package org.referralbus.statistics;

import java.time.OffsetDateTime;

/**
 * Where the needs of a referral filed before statistics existed stand, for the backfill. Implemented by the delivery
 * feature, which owns the needs, so that statistics need not know it.
 */
public interface PastOutcomes {

    /** @param acceptedAt the first acceptance by a provider, null if none */
    record PastOutcome(Outcome outcome, OffsetDateTime acceptedAt) {
    }

    PastOutcome of(String sender, String referralId);
}
