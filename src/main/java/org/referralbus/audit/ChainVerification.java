package org.referralbus.audit;

/**
 * The verifier's answer, as the API returns it.
 *
 * @param eventsChecked  rows walked, up to and including the first broken one
 * @param firstBrokenSeq sequence number of the first broken link, null when intact
 * @param reason         why that link is broken (edited, deleted, reordered, forged checkpoint), null when intact
 */
public record ChainVerification(boolean intact, long eventsChecked, Long firstBrokenSeq, String reason) {

    static ChainVerification intact(long eventsChecked) {
        return new ChainVerification(true, eventsChecked, null, null);
    }

    static ChainVerification broken(long eventsChecked, long seq, String reason) {
        return new ChainVerification(false, eventsChecked, seq, reason);
    }
}
