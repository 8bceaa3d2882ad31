package org.referralbus.participants;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bound next to {@code referral-bus.registry.providers} (the provider registry), which the routing feature owns.
 *
 * @param oversight the oversight registry (YAML): auditors and admins with their certificates; whoever edits it
 *                  decides who may read the audit trail and the bus's metrics, so protect it like a key
 */
@Validated
@ConfigurationProperties("referral-bus.registry")
record OversightRegistryProperties(@DefaultValue("routes/oversight.yaml") @NotNull Path oversight) {
}
