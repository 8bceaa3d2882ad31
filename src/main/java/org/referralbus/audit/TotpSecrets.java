package org.referralbus.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.StartupRefusal;

/**
 * Encrypts console TOTP secrets at rest.
 *
 * <p>Implementation note: AES-256-GCM under a key from configuration, never from the database; a fresh random
 * 96-bit nonce per encryption (a nonce must never repeat under one key: with random nonces that holds for far
 * more than 2^32 encryptions, and an account is encrypted once); 128-bit tag. The additional authenticated data is
 * {@code referral-bus totp v1 <username>}, so a ciphertext moved to another account does not open. Stored as
 * {@code v1:} + base64(nonce || ciphertext || tag). Any failure to open is one answer: the secret is unusable.
 */
public final class TotpSecrets {

    static final String PREFIX = "v1:";
    /** SAMPLE ONLY: published in this repository; the prod profile refuses it. */
    static final String SAMPLE_KEY = "base64:U0FNUExFIE9OTFk6IHRvdHAgc2VjcmV0cyBrZXkhISE=";
    private static final String PROPERTY = "referral-bus.audit.totp-encryption.key";
    private static final String SEE = " (docs/operators.md, 'Console secrets').";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private TotpSecrets(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Reads the key; refuses a key that is not 32 bytes, and the sample key when {@code production}. */
    public static TotpSecrets load(TotpEncryptionProperties properties, boolean production) {
        byte[] key = decode(properties.key());
        if (key.length != 32) {
            throw new StartupRefusal(PROPERTY + " must be exactly 32 bytes (AES-256); it holds " + key.length,
                    "Generate one with: echo base64:$(openssl rand -base64 32)" + SEE);
        }
        if (production && MessageDigest.isEqual(key, decode(SAMPLE_KEY))) {
            throw new StartupRefusal("Refusing to start in the prod profile with sample keys: " + PROPERTY
                    + " is the published sample key", "Set a real one: REFERRAL_BUS_AUDIT_TOTP_ENCRYPTION_KEY=base64:$(openssl rand -base64 32)" + SEE);
        }
        return new TotpSecrets(key);
    }

    static boolean sealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    String seal(String username, String secret) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, username, nonce, secret.getBytes(StandardCharsets.US_ASCII));
        return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
    }

    String open(String username, String stored) {
        if (!sealed(stored)) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "The TOTP secret of " + username + " is not encrypted");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            byte[] nonce = java.util.Arrays.copyOf(all, 12);
            return new String(crypt(Cipher.DECRYPT_MODE, username, nonce, java.util.Arrays.copyOfRange(all, 12, all.length)),
                    StandardCharsets.US_ASCII);
        } catch (RuntimeException garbled) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "The TOTP secret of " + username
                    + " does not open under the configured key");
        }
    }

    private byte[] crypt(int mode, String username, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(("referral-bus totp v1 " + username).getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "AES-GCM failed (wrong key or altered secret)", e);
        }
    }

    private static byte[] decode(String value) {
        String text = value.strip();
        if (!text.startsWith("base64:")) {
            Path file = Path.of(text);
            if (!Files.isRegularFile(file)) {
                throw new StartupRefusal(PROPERTY + " is neither base64:<text> nor the path of a readable file"
                        + " (its value is not shown: it may be the key)", "Write it as base64:<32 bytes>" + SEE);
            }
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new StartupRefusal(PROPERTY + ": cannot read the file " + file, "Check its permissions" + SEE);
            }
        }
        try {
            return Base64.getDecoder().decode(text.substring(text.startsWith("base64:") ? 7 : 0).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new StartupRefusal(PROPERTY + " is not valid base64", "Generate one with: echo base64:$(openssl rand -base64 32)" + SEE);
        }
    }
}
