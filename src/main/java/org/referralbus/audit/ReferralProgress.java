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
 * @param awaiting   providers it was delivered to that have neither accepted nor declined
 */
record ReferralProgress(String referralId, String sender, OffsetDateTime receivedAt, String lastStep,
                        OffsetDateTime lastStepAt, List<String> providers, OffsetDateTime delivered,
                        OffsetDateTime accepted, List<String> awaiting) {

    /**
     * Nothing more is expected: rejected before any copy left, or every provider that got a copy has answered. A
     * rejection after a delivery is of a later submission under the same id (a resend with other content, say): the
     * delivered referral still waits for its providers, and stays on the stuck list.
     */
    boolean finished() {
        if (delivered == null) {
            return "REJECTED".equals(lastStep);
        }
        return awaiting.isEmpty() && !"ROUTED".equals(lastStep);
    }
}
