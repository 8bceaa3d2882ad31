package org.referralbus.system;

import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The HTTPS server's own key and the TLS policy. Which client certificates the server asks for and accepts is not
 * configured here: always the trust anchors of {@code referral-bus.identity.trust-anchors}.
 *
 * @param certificate      PEM certificate (chain) of the server, used when no {@code keystore} is set
 * @param privateKey       its PEM key (PKCS#8, unencrypted): readable only by the bus
 * @param keystore         PKCS#12 file with the server key and certificate; when set it replaces {@code certificate}
 *                         and {@code privateKey}
 * @param keystorePassword password of {@code keystore}; give it through the environment
 *                         ({@code REFERRAL_BUS_TLS_KEYSTORE_PASSWORD}), never in a file; never logged
 * @param keyAlias         alias of the key entry in {@code keystore}; empty means the only key entry
 * @param enabledProtocols TLS versions offered; anything older is refused in the handshake
 * @param ciphers          cipher suites offered: AEAD with forward secrecy only
 */
@Validated
@ConfigurationProperties("referral-bus.tls")
public record TlsProperties(Path certificate, Path privateKey, Path keystore, String keystorePassword, String keyAlias,
                            @NotEmpty List<String> enabledProtocols, @NotEmpty List<String> ciphers) {
}
