package org.referralbus.core;

import java.time.Duration;

/**
 * A refusal that says nothing is wrong with the request, only that it came too early: over HTTPS it is answered with
 * its code and a {@code Retry-After} header; the queue intake rolls the message back for the broker to redeliver,
 * instead of parking it as rejected.
 */
public class RetryLaterException extends ReferralBusException {

    private final Duration retryAfter;

    public RetryLaterException(ErrorCode errorCode, String message, Duration retryAfter) {
        super(errorCode, message);
        this.retryAfter = retryAfter;
    }

    /** Whole seconds to wait, rounded up, at least 1 (RFC 9110 {@code Retry-After} takes delay-seconds). */
    public long retryAfterSeconds() {
        long millis = Math.max(0, retryAfter.toMillis());
        return Math.max(1, (millis + 999) / 1000);
    }
}
