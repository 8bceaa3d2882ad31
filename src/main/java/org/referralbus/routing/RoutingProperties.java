package org.referralbus.routing;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param capacityWindow how long a delivered or accepted case counts against a provider's declared capacity
 */
@Validated
@ConfigurationProperties("referral-bus.routing")
public record RoutingProperties(@DefaultValue("30d") @NotNull Duration capacityWindow) {
}
