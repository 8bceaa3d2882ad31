package org.referralbus.retention;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long the bus keeps what it could open or hand out again: the sender's sealed envelope (sealed for the bus,
 * so the bus can read it) and the sealed copies made for providers (kept for re-routing and inbox fetches).
 *
 * @param keepAfterClosed how long both are kept after every need of the referral is closed (accepted, or declined
 *                        with nobody left to route it to); a decline after that can no longer be re-routed by the
 *                        bus, so keep it at least as long as providers may still change their minds
 * @param interval        how often expired envelopes and copies are purged
 */
@Validated
@ConfigurationProperties("referral-bus.retention")
public record RetentionProperties(@DefaultValue("90d") @NotNull Duration keepAfterClosed,
                                  @DefaultValue("1h") @NotNull Duration interval) {
}
