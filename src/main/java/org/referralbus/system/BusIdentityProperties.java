package org.referralbus.system;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The bus's own CMS identity and the CA it trusts for agencies, providers and auditors.
 *
 * @param certificate      PEM certificate of the bus: agencies encrypt referrals for it, providers check its signature
 * @param privateKey       PEM (PKCS#8, unencrypted) key of that certificate; whoever reads it can open every referral
 * @param trustAnchors     PEM bundle of CA certificates; only signers and TLS clients chaining to these are accepted
 * @param keystore         PKCS#12 file holding the bus key and certificate; when set it replaces {@code certificate}
 *                         and {@code privateKey} (required in the {@code prod} profile)
 * @param keystorePassword password of {@code keystore}; give it through the environment
 *                         ({@code REFERRAL_BUS_KEYSTORE_PASSWORD}), never in a file
 * @param keyAlias         alias of the key entry in {@code keystore}; empty means the only key entry
 * @param crlFiles         CRL files (PEM or DER) of the trust anchors; revoked TLS clients and signers are refused
 * @param crlCheckInterval how often the CRL files are checked for changes; a replaced file takes effect within this time
 * @param previous         the bus key being retired: envelopes sealed for its certificate still open during rotation
 * @param retiredCertificates PEM certificates (no keys) of bus keys retired by earlier rotations: the checkpoints and
 *                         tree heads they signed stay the bus's for {@code audit verify}
 */
@Validated
@ConfigurationProperties("referral-bus.identity")
public record BusIdentityProperties(Path certificate, Path privateKey, @NotNull Path trustAnchors,
                                    Path keystore, String keystorePassword, String keyAlias,
                                    @DefaultValue List<Path> crlFiles,
                                    @DefaultValue("PT1M") @NotNull Duration crlCheckInterval,
                                    KeySource previous, @DefaultValue List<Path> retiredCertificates) {

    /** The current key, from the keystore when one is configured, else from the PEM files. */
    public KeySource current() {
        return new KeySource(certificate, privateKey, keystore, keystorePassword, keyAlias);
    }

    /**
     * Where one bus key comes from: a PKCS#12 keystore, or a PEM certificate and key.
     *
     * @param keystorePassword for the previous key: {@code REFERRAL_BUS_IDENTITY_PREVIOUS_KEYSTORE_PASSWORD}
     */
    public record KeySource(Path certificate, Path privateKey, Path keystore, String keystorePassword,
                            String keyAlias) {
    }
}
