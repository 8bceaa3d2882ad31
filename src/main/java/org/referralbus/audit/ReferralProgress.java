package org.referralbus.audit;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Where one referral stands, derived from the trail alone (ids and times, no content).
 *
 * @param lastStep   type of the latest event about the referral (auditor queries excluded)
 * @param providers  providers it was delivered to
 * @param delivered  time of the first DELIVERED event, null if none
 * @param accepted   time of the first ACKNOWLEDGED event, null if none
 */
record ReferralProgress(String referralId, String sender, OffsetDateTime receivedAt, String lastStep,
                        OffsetDateTime lastStepAt, List<String> providers, OffsetDateTime delivered,
                        OffsetDateTime accepted) {

    /** Steps after which nothing more is expected of the bus or a provider. */
    private static final List<String> OUTCOMES = List.of("ACKNOWLEDGED", "DECLINED", "REJECTED");

    boolean finished() {
        return OUTCOMES.contains(lastStep);
    }
}
