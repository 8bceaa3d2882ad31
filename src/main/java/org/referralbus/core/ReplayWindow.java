package org.referralbus.core;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How old, or how far in the future, a referral's {@code createdAt} may be ({@code referral-bus.intake.replay-window}):
 * an envelope captured and replayed later than this is refused ({@code stale_referral}).
 *
 * @param past   oldest accepted {@code createdAt}, counted back from now; keep the dedupe ledger at least this long
 * @param future how far ahead of the bus clock {@code createdAt} may be (clock skew of agencies)
 */
public record ReplayWindow(@DefaultValue("P30D") @NotNull Duration past,
                           @DefaultValue("PT5M") @NotNull Duration future) {

    /** Whether a referral created at {@code createdAt} may be accepted at {@code now}. */
    public boolean admits(OffsetDateTime createdAt, Instant now) {
        Instant created = createdAt.toInstant();
        return !created.isBefore(now.minus(past)) && !created.isAfter(now.plus(future));
    }
}
