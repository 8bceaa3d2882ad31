package org.referralbus.dedupe;

import java.time.OffsetDateTime;
import java.util.Optional;

/** What the bus remembers of a referral: ids, hashes, state and the signed receipt. Nothing readable. */
public record StoredReferral(String sender, String referralId, String contentSha256, String envelopeSha256,
                             State state, OffsetDateTime receivedAt, Optional<Receipt> receipt) {

    public enum State {
        /** Accepted for processing; deliveries may be incomplete (e.g. after a crash): a retry completes them. */
        RECEIVED,
        /**
         * The receipt is issued: every delivery is stored, and on its channel or on its way there (a copy a crash left
         * unsent is handed over by {@code delivery/UnsentCopies}).
         */
        ROUTED
    }
}
