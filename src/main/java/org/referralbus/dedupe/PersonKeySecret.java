package org.referralbus.dedupe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Implementation note: the person-key secret is read once at start-up, must be at least 32 bytes (the HMAC-SHA256
 * block of security), and in the {@code prod} profile must not be the published sample, with which anyone could
 * test names against the stored keys. A file may hold the raw bytes or their base64.
 */
final class PersonKeySecret {

    /** SAMPLE ONLY: published in this repository, so useless for protecting anyone. */
    static final String SAMPLE = "base64:U0FNUExFIE9OTFk6IHJlZmVycmFsLWJ1cyBwZXJzb24ta2V5IHNlY3JldCwgcHVibGlzaGVkIQ==";
    static final int MINIMUM_BYTES = 32;

    private PersonKeySecret() {
    }

    static byte[] load(DedupeProperties properties, Environment environment) {
        byte[] secret = decode(properties.personKeySecret());
        if (secret.length < MINIMUM_BYTES) {
            throw new IllegalStateException("referral-bus.dedupe.person-key-secret must hold at least " + MINIMUM_BYTES + " bytes");
        }
        if (environment.acceptsProfiles(Profiles.of("prod")) && MessageDigest.isEqual(secret, decode(SAMPLE))) {
            // Same wording as SampleKeyGuard: whichever guard runs first, the operator reads one kind of refusal.
            throw new IllegalStateException("Refusing to start in the prod profile with sample keys: "
                    + "referral-bus.dedupe.person-key-secret is the published sample person-key secret. "
                    + "Set a real one (docs/operators.md, 'Production set-up').");
        }
        return secret;
    }

    private static byte[] decode(String value) {
        if (value.startsWith("base64:")) {
            return Base64.getDecoder().decode(value.substring("base64:".length()).trim());
        }
        try {
            byte[] bytes = Files.readAllBytes(Path.of(value));
            String text = new String(bytes, StandardCharsets.US_ASCII).trim();
            if (text.matches("[A-Za-z0-9+/=\\s]{44,}")) {
                return Base64.getMimeDecoder().decode(text);
            }
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("referral-bus.dedupe.person-key-secret: cannot read " + value, e);
        }
    }
}
