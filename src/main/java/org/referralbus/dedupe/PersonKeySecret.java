package org.referralbus.dedupe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import org.referralbus.core.StartupRefusal;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Implementation note: the person-key secret is read once at start-up, must be at least 32 bytes (the HMAC-SHA256
 * block of security), and in the {@code prod} profile must not be the published sample, with which anyone could
 * test names against the stored keys. The value is {@code base64:<text>}, or the path of a file holding
 * {@code base64:<text>}, bare base64 of 32 bytes or more, or the raw bytes. No error message quotes any part of the value.
 */
final class PersonKeySecret {

    /** SAMPLE ONLY: published in this repository, so useless for protecting anyone. */
    static final String SAMPLE = "base64:U0FNUExFIE9OTFk6IHJlZmVycmFsLWJ1cyBwZXJzb24ta2V5IHNlY3JldCwgcHVibGlzaGVkIQ==";
    static final int MINIMUM_BYTES = 32;
    private static final String PREFIX = "base64:";
    private static final String PROPERTY = "referral-bus.dedupe.person-key-secret";
    private static final String PREVIOUS = "referral-bus.dedupe.person-key-previous-secret";
    private static final String SEE = " (docs/linking.md, 'The person-key secret').";

    private PersonKeySecret() {
    }

    /**
     * The previous secret during a rotation, or null when none is configured. Same rules as the current one, and it
     * must differ from it (a "rotation" to the same secret would keep nothing apart).
     */
    static byte[] loadPrevious(DedupeProperties properties, Environment environment) {
        String value = properties.personKeyPreviousSecret();
        if (value == null || value.isBlank()) {
            return null;
        }
        byte[] previous = decode(value, PREVIOUS);
        if (previous.length < MINIMUM_BYTES) {
            throw new StartupRefusal(PREVIOUS + " must hold at least " + MINIMUM_BYTES + " bytes; it holds " + previous.length,
                    "Set it to the secret used before the rotation" + SEE);
        }
        if (MessageDigest.isEqual(previous, decode(properties.personKeySecret(), PROPERTY))) {
            throw new StartupRefusal(PREVIOUS + " equals " + PROPERTY,
                    "Set " + PROPERTY + " to the new secret and " + PREVIOUS + " to the old one" + SEE);
        }
        return previous;
    }

    static byte[] load(DedupeProperties properties, Environment environment) {
        byte[] secret = decode(properties.personKeySecret(), PROPERTY);
        if (secret.length < MINIMUM_BYTES) {
            throw new StartupRefusal(PROPERTY + " must hold at least " + MINIMUM_BYTES + " bytes; it holds " + secret.length,
                    "Generate one with: echo base64:$(openssl rand -base64 32)" + SEE);
        }
        if (environment.acceptsProfiles(Profiles.of("prod")) && MessageDigest.isEqual(secret, decode(SAMPLE, PROPERTY))) {
            // Same wording as SampleKeyGuard: whichever guard runs first, the operator reads one kind of refusal.
            throw new StartupRefusal("Refusing to start in the prod profile with sample keys: "
                    + PROPERTY + " is the published sample person-key secret",
                    "Set a real one: REFERRAL_BUS_DEDUPE_PERSON_KEY_SECRET=base64:$(openssl rand -base64 32)" + SEE);
        }
        return secret;
    }

    /**
     * {@code base64:<text>} is the secret itself; anything else is the path of a file holding either
     * {@code base64:<text>} or the raw bytes. Errors name the property, never any part of the value.
     */
    private static byte[] decode(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new StartupRefusal(property + " is not set", "Set it to base64:<at least 32 random bytes> or a file path" + SEE);
        }
        if (value.startsWith(PREFIX)) {
            return base64(value.substring(PREFIX.length()), property);
        }
        Path file = Path.of(value.strip());
        if (!Files.isRegularFile(file)) {
            throw new StartupRefusal(property + " is neither base64:<text> nor the path of a readable file"
                    + " (its value is not shown: it may be the secret)",
                    "Write it as base64:<text>, or give the path of a file holding base64:<text> or the raw bytes" + SEE);
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.US_ASCII).strip();
            if (text.startsWith(PREFIX)) {
                return base64(text.substring(PREFIX.length()), property + " (file " + file + ")");
            }
            if (text.matches("[A-Za-z0-9+/=\\s]{44,}")) {
                // Bare base64 of at least 32 bytes, as earlier versions read it: kept so existing keys do not change.
                return base64(text, property + " (file " + file + ")");
            }
            return bytes;
        } catch (IOException e) {
            throw new StartupRefusal(property + ": cannot read the file " + file, "Check its permissions" + SEE);
        }
    }

    private static byte[] base64(String text, String what) {
        try {
            return Base64.getDecoder().decode(text.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            // The decoder's message quotes the offending character: not passed on.
            throw new StartupRefusal(what + " is not valid base64 after 'base64:'",
                    "Generate one with: echo base64:$(openssl rand -base64 32)" + SEE);
        }
    }
}
