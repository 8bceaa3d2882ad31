package org.referralbus.participants;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param agencies the agency registry (YAML, with each agency's certificate); whoever edits it decides who may send
 *                 referrals, and with which key, so protect it like a key
 */
@Validated
@ConfigurationProperties("referral-bus.participants")
record ParticipantRegistryProperties(@DefaultValue("routes/agencies.yaml") @NotNull Path agencies) {
}
