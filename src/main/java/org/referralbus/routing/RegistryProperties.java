package org.referralbus.routing;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param providers the provider registry (YAML); whoever can edit it decides where victims' files go, so protect it like a key
 */
@Validated
@ConfigurationProperties("referral-bus.registry")
public record RegistryProperties(@NotNull Path providers) {
}
