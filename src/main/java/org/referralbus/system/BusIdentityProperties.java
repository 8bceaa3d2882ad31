package org.referralbus.system;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The bus's own CMS identity and the CA it trusts for agencies, providers and auditors.
 *
 * @param certificate  PEM certificate of the bus: agencies encrypt referrals for it, providers check its signature
 * @param privateKey   PEM (PKCS#8, unencrypted) key of that certificate; whoever reads it can open every referral
 * @param trustAnchors PEM bundle of CA certificates; only signers and TLS clients chaining to these are accepted
 */
@Validated
@ConfigurationProperties("referral-bus.identity")
public record BusIdentityProperties(@NotNull Path certificate, @NotNull Path privateKey, @NotNull Path trustAnchors) {
}
