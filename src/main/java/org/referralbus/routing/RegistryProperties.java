package org.referralbus.routing;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param providers              the provider registry (YAML); whoever can edit it decides where victims' files go, so protect it like a key
 * @param reloadInterval         how often the bus looks for changes to the registry; a valid change applies without restart and is audited
 * @param childProtectionProvider the provider every minor is also referred to, whatever the needs say
 * @param coordinator            the provider id of the coordinator: it gets whatever no rule may send elsewhere, sees every section and links cases, so it must be the one trusted office
 */
@Validated
@ConfigurationProperties("referral-bus.registry")
public record RegistryProperties(@NotNull Path providers,
                                 @DefaultValue("10s") @NotNull Duration reloadInterval,
                                 @DefaultValue("child-protection-national") @NotBlank String childProtectionProvider,
                                 @DefaultValue("coordinator") @NotBlank String coordinator) {
}
