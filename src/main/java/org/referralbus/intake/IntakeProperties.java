package org.referralbus.intake;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxEnvelopeBytes largest envelope accepted over HTTPS or the intake queue; bounds the memory an attacker can make the bus spend
 */
@Validated
@ConfigurationProperties("referral-bus.intake")
public record IntakeProperties(@DefaultValue("5242880") @Min(1024) int maxEnvelopeBytes) {
}
