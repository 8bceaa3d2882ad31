package org.referralbus.dedupe;

import java.time.OffsetDateTime;

/**
 * What referral dedupe decided: this exchange now owns the referral (received at {@code receivedAt}; go on and
 * route it), or it repeats one already routed (answer with {@code storedReceipt}).
 */
public record DedupeResult(OffsetDateTime receivedAt, Receipt storedReceipt) {

    static DedupeResult process(OffsetDateTime receivedAt) {
        return new DedupeResult(receivedAt, null);
    }

    static DedupeResult repeat(Receipt storedReceipt) {
        return new DedupeResult(null, storedReceipt);
    }

    public boolean duplicate() {
        return storedReceipt != null;
    }
}
