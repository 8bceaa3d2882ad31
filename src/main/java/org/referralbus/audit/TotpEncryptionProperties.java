package org.referralbus.audit;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param key the AES-256 key that encrypts auditors' TOTP secrets in the database: {@code base64:<32 bytes>} (e.g.
 *            from the environment variable {@code REFERRAL_BUS_AUDIT_TOTP_ENCRYPTION_KEY}) or the path of a file
 *            holding that text. Kept out of the database, so a copy of the database alone cannot mint second
 *            factors. The {@code prod} profile refuses the published sample key
 */
@Validated
@ConfigurationProperties("referral-bus.audit.totp-encryption")
public record TotpEncryptionProperties(@NotBlank String key) {
}
