package org.referralbus.intake;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.referralbus.core.ReplayWindow;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxEnvelopeBytes largest envelope accepted over HTTPS or the intake queue; bounds the memory an attacker can make the bus spend
 * @param replayWindow     how old, or how far in the future, a referral's {@code createdAt} may be: an envelope captured
 *                         and replayed later than this is refused ({@code stale_referral})
 * @param rateLimit        per-participant request budget on the API: one agency cannot starve the others
 */
@Validated
@ConfigurationProperties("referral-bus.intake")
public record IntakeProperties(@DefaultValue("5242880") @Min(1024) int maxEnvelopeBytes,
                               @DefaultValue @Valid @NotNull ReplayWindow replayWindow,
                               @DefaultValue @Valid @NotNull RateLimit rateLimit) {

    /**
     * Token bucket per participant, kept in memory on each node: with N bus nodes behind a load balancer a
     * participant may get up to N times this budget.
     *
     * @param enabled   off only for load tests
     * @param burst     requests a participant may send at once (bucket size)
     * @param perMinute sustained requests per minute (refill rate)
     */
    public record RateLimit(@DefaultValue("true") boolean enabled,
                            @DefaultValue("30") @Min(1) int burst,
                            @DefaultValue("60") @Min(1) int perMinute) {
    }
}
