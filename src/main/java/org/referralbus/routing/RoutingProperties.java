package org.referralbus.routing;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param capacityWindow how long a delivered or accepted case counts against a provider's declared capacity
 * @param placeHold      how long a place routing claimed at a capped provider counts before the copy is stored: longer
 *                       than any attempt takes from routing to its copies, or a slow attempt's place may be taken twice;
 *                       an attempt that died in between keeps its place this long
 */
@Validated
@ConfigurationProperties("referral-bus.routing")
public record RoutingProperties(@DefaultValue("30d") @NotNull Duration capacityWindow,
                                @DefaultValue("10m") @NotNull Duration placeHold) {
}
