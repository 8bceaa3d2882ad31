package org.referralbus.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import org.referralbus.core.BusKey;
import org.referralbus.envelope.PemFiles;

/**
 * Reads one bus key pair from a PKCS#12 keystore (production) or from PEM files (development). The keystore
 * password is used once here and not kept; neither it nor the key ever reaches a log or an error message.
 */
public final class BusKeyLoader {

    private BusKeyLoader() {
    }

    static BusKey load(BusIdentityProperties.KeySource source) {
        if (source.keystore() != null) {
            return fromKeystore(source);
        }
        if (source.certificate() == null || source.privateKey() == null) {
            throw new IllegalStateException("Configure a bus key: keystore, or certificate and private-key");
        }
        return new BusKey(PemFiles.readPrivateKey(source.privateKey()),
                PemFiles.readCertificate(source.certificate()));
    }

    /**
     * The certificate of the bus key only, for readers such as {@code audit verify}: from the keystore (whose password
     * still unlocks it, PKCS#12 protects certificates too) or the PEM certificate; the private key is never read.
     */
    public static X509Certificate certificate(BusIdentityProperties.KeySource source) {
        if (source.keystore() == null) {
            if (source.certificate() == null) {
                throw new IllegalStateException("Configure a bus key: keystore, or certificate and private-key");
            }
            return PemFiles.readCertificate(source.certificate());
        }
        return readKeystore(source, (store, alias, password) -> {
            if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                return certificate;
            }
            throw new IllegalStateException("Keystore " + source.keystore() + " entry '" + alias + "' holds no certificate");
        });
    }

    private static BusKey fromKeystore(BusIdentityProperties.KeySource source) {
        return readKeystore(source, (store, alias, password) -> {
            if (!(store.getKey(alias, password) instanceof PrivateKey key)
                    || !(store.getCertificate(alias) instanceof X509Certificate certificate)) {
                throw new IllegalStateException("Keystore " + source.keystore() + " entry '" + alias
                        + "' is not a private key with a certificate");
            }
            return new BusKey(key, certificate);
        });
    }

    /** Reads one entry of the keystore; what the reader does not take (the key, for a certificate) is never read. */
    private interface EntryReader<T> {
        T read(KeyStore store, String alias, char[] password) throws GeneralSecurityException;
    }

    private static <T> T readKeystore(BusIdentityProperties.KeySource source, EntryReader<T> reader) {
        if (source.keystorePassword() == null || source.keystorePassword().isEmpty()) {
            throw new IllegalStateException("Keystore " + source.keystore()
                    + " needs its password from the environment (REFERRAL_BUS_KEYSTORE_PASSWORD)");
        }
        char[] password = source.keystorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(source.keystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return reader.read(store, alias(store, source.keyAlias()), password);
        } catch (IOException | GeneralSecurityException e) {
            // The cause may name the password's failure mode only; it never contains the password.
            throw new IllegalStateException("Cannot read keystore " + source.keystore() + " (wrong password or not PKCS#12)", e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    /** The aliases of a keystore's key entries (certificates alone are not candidates for the server or bus key). */
    static List<String> keyEntries(KeyStore store) throws GeneralSecurityException {
        return Collections.list(store.aliases()).stream().filter(a -> {
            try {
                return store.isKeyEntry(a);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }).toList();
    }

    private static String alias(KeyStore store, String configured) throws GeneralSecurityException {
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        List<String> keys = keyEntries(store);
        if (keys.size() != 1) {
            throw new IllegalStateException("Keystore holds " + keys.size() + " key entries: set referral-bus.identity.key-alias");
        }
        return keys.get(0);
    }

    /**
     * Every certificate the bus has signed its trail with, as configured: those in force (the current one, the
     * previous one during a rotation), then the retired ones (certificates only, no key read).
     */
    public static java.util.List<X509Certificate> withRetired(java.util.List<X509Certificate> inForce, BusIdentityProperties identity) {
        java.util.List<X509Certificate> all = new java.util.ArrayList<>(inForce);
        for (java.nio.file.Path retired : identity.retiredCertificates()) {
            all.add(org.referralbus.envelope.PemFiles.readCertificate(retired));
        }
        return java.util.List.copyOf(all);
    }
}
