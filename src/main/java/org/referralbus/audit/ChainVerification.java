package org.referralbus.audit;

import java.util.List;

/**
 * The verifier's answer, as the API returns it.
 *
 * @param eventsChecked      rows walked, up to and including the first broken one
 * @param firstBrokenSeq     sequence number of the first broken link, null when intact
 * @param reason             why that link is broken (edited, deleted, reordered, forged checkpoint or tree head, forked
 *                           or truncated history), null when intact
 * @param unanchoredTreeHeads sizes of the signed tree heads that no configured anchor (timestamp, heads file) witnesses;
 *                           null when no anchor is configured, so nothing was checked
 */
public record ChainVerification(boolean intact, long eventsChecked, Long firstBrokenSeq, String reason,
                                List<Long> unanchoredTreeHeads) {

    public ChainVerification(boolean intact, long eventsChecked, Long firstBrokenSeq, String reason) {
        this(intact, eventsChecked, firstBrokenSeq, reason, null);
    }

    static ChainVerification intact(long eventsChecked) {
        return new ChainVerification(true, eventsChecked, null, null);
    }

    static ChainVerification broken(long eventsChecked, long seq, String reason) {
        return new ChainVerification(false, eventsChecked, seq, reason);
    }

    ChainVerification withUnanchored(List<Long> sizes) {
        return new ChainVerification(intact, eventsChecked, firstBrokenSeq, reason, sizes);
    }
}
