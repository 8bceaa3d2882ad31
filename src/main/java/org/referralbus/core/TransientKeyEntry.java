package org.referralbus.core;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * Puts a private key into a key store that lives only in memory, for a TLS key manager to read back.
 *
 * <p>Implementation note: a PKCS#12 store wraps each key with PBKDF2 at 10 000 rounds on the way in and again on the
 * way out, which cost about a second of CPU per key at start-up on a 2-core machine (issue 13). The store is never
 * written anywhere and its password is thrown away, so the wrapping protects nothing: one round is enough. Never use
 * this for a store that is saved to a file. A JKS store (what Tomcat gets, see {@code ServerTlsConfiguration}) has no
 * rounds to lower: its key protection is the JDK's own cheap obfuscation, which equally protects nothing here.
 */
public final class TransientKeyEntry {

    private static final String PROTECTION = "PBEWithHmacSHA256AndAES_256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TransientKeyEntry() {
    }

    public static void put(KeyStore store, String alias, PrivateKey key, char[] password, Certificate[] chain)
            throws GeneralSecurityException {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        // As the store's own getKey would return it: decoded by the JDK for the certificate's key type (a key read by
        // Bouncy Castle says "ECDSA" where the certificate says "EC", which PrivateKeyEntry refuses).
        PrivateKey decoded = KeyFactory.getInstance(chain[0].getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        if ("JKS".equalsIgnoreCase(store.getType())) {
            store.setKeyEntry(alias, decoded, password, chain);
        } else {
            store.setEntry(alias, new KeyStore.PrivateKeyEntry(decoded, chain),
                    new KeyStore.PasswordProtection(password, PROTECTION, new PBEParameterSpec(salt, 1)));
        }
    }
}
