package org.referralbus.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.referralbus.core.StartupRefusal;
import org.referralbus.core.TransientKeyEntry;
import org.referralbus.core.TrustAnchors;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.RevocationLists;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;

/**
 * Builds the HTTPS server's SSL bundle {@value #BUNDLE} (which {@code server.ssl.bundle} names) from
 * {@link TlsProperties}: the server key from PKCS#12 or PEM, client-certificate trust = the trust anchors, and the
 * protocols and ciphers of the policy, whichever way the key is stored. Implementation note: the keystore password is
 * used to read the key once and never appears in a message; the key is handed to Tomcat in an in-memory store under a
 * random password, so no configured password is kept. That store is JKS: Tomcat copies the key into a fresh store of
 * the bundle's type under the JDK's default protection before building its key manager, which for PKCS#12 is PBKDF2 at
 * 10 000 rounds in and again out, on the main thread before the bus is ready (about 7 % of a start's CPU samples,
 * issue 13); JKS's protection costs next to nothing and, for a store never written and a password thrown away, protects
 * just as little. Spring's own {@code spring.ssl.bundle.*.server} properties are
 * refused: a bundle configured there would lose the trust anchors or the cipher policy silently.
 */
@Configuration(proxyBeanMethods = false)
class ServerTlsConfiguration {

    static final String BUNDLE = "server";
    private static final String ALIAS = "server";

    private static final Logger log = LoggerFactory.getLogger(ServerTlsConfiguration.class);

    @Bean
    SslBundleRegistrar serverTlsBundle(TlsProperties tls, TrustAnchors anchors, RevocationLists revocations, Clock clock,
                                       Environment environment) {
        return registry -> {
            refuseSpringBundleProperties(environment);
            SslBundle bundle = bundle(tls, anchors);
            judgeAtStart(tls, chain(bundle), new ServerCertificateCheck(anchors, revocations, clock));
            registry.registerBundle(BUNDLE, bundle);
        };
    }

    /**
     * An expired or not yet valid certificate, one the configured CRLs revoke (it or a CA certificate of its file), or
     * one whose extendedKeyUsage leaves out TLS servers (a participant's certificate configured by mistake), stops the
     * start, as other configuration that leaves the bus unusable does ({@link StartupRefusal}): clients would refuse
     * the handshake (a revoked one: its key may be in other hands), so a bus that started would be up, ready and
     * healthy to its own checks while no agency or provider can reach it. One that does not chain to the trust
     * anchors is only a warning: the start cannot know which CA clients were given (an HTTPS certificate from a public
     * CA is a deliberate choice, clients told to trust that CA), but participants given the deployment's CA will refuse it.
     */
    static void judgeAtStart(TlsProperties tls, List<X509Certificate> chain, ServerCertificateCheck check) {
        X509Certificate leaf = chain.get(0);
        check.outsideValidity(leaf).or(() -> check.revoked(chain)).or(() -> check.notForServers(leaf)).ifPresent(objection -> {
            throw new StartupRefusal("the HTTPS server certificate " + certificateFile(tls) + " " + objection.problem(),
                    objection.action());
        });
        if (!check.chainsToTrustAnchors(chain)) {
            log.warn("The HTTPS server certificate {} is issued by {}, which does not chain to the trust anchors"
                    + " (referral-bus.identity.trust-anchors): participants that check the server against the deployment's CA"
                    + " will refuse it, and a renewal is applied without a restart only from that CA or a CA certificate in"
                    + " its file. If that is not intended, install a certificate from the deployment's CA and restart; if it"
                    + " is, put the issuing CA's certificate after the server's in the same file (docs/operators.md,"
                    + " 'Warnings at start').", certificateFile(tls), chain.get(0).getIssuerX500Principal().getName());
        }
    }

    /** The file the server certificate is read from, with the setting that names it. */
    static String certificateFile(TlsProperties tls) {
        return tls.keystore() != null ? tls.keystore() + " (referral-bus.tls.keystore)"
                : tls.certificate() + " (referral-bus.tls.certificate)";
    }

    /** The server's certificate and the CA certificates that came with it, leaf first. */
    static List<X509Certificate> chain(SslBundle bundle) {
        try {
            Certificate[] chain = bundle.getStores().getKeyStore().getCertificateChain(bundle.getKey().getAlias());
            return Arrays.stream(chain).map(X509Certificate.class::cast).toList();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static SslBundle bundle(TlsProperties tls, TrustAnchors anchors) {
        String password = randomPassword();
        KeyStore keys = emptyStore("JKS");
        try {
            if (tls.keystore() != null) {
                KeyEntry entry = fromKeystore(tls);
                TransientKeyEntry.put(keys, ALIAS, entry.key(), password.toCharArray(), entry.chain());
            } else if (tls.certificate() != null && tls.privateKey() != null) {
                List<X509Certificate> chain = PemFiles.readCertificates(tls.certificate());
                TransientKeyEntry.put(keys, ALIAS, PemFiles.readPrivateKey(tls.privateKey()), password.toCharArray(),
                        chain.toArray(Certificate[]::new));
            } else {
                throw new StartupRefusal("no TLS server key: referral-bus.tls.keystore (or referral-bus.tls.certificate "
                        + "and referral-bus.tls.private-key) is not set", "Set referral-bus.tls.keystore to the server's PKCS#12 file"
                        + " and REFERRAL_BUS_TLS_KEYSTORE_PASSWORD (docs/operators.md, 'Production set-up').");
            }
            KeyStore trust = emptyStore("PKCS12");
            for (int i = 0; i < anchors.certificates().size(); i++) {
                trust.setCertificateEntry("anchor-" + i, anchors.certificates().get(i));
            }
            return SslBundle.of(SslStoreBundle.of(keys, password, trust), SslBundleKey.of(password, ALIAS),
                    SslOptions.of(tls.ciphers().toArray(String[]::new), tls.enabledProtocols().toArray(String[]::new)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build the TLS server key store", e);
        }
    }

    private record KeyEntry(PrivateKey key, Certificate[] chain) {
    }

    private static KeyEntry fromKeystore(TlsProperties tls) {
        String where = tls.keystore() + " (referral-bus.tls.keystore)";
        if (!Files.isRegularFile(tls.keystore())) {
            throw new StartupRefusal("TLS keystore not found: " + where,
                    "Point referral-bus.tls.keystore at the server's PKCS#12 file (docs/operators.md, 'Production set-up').");
        }
        if (tls.keystorePassword() == null || tls.keystorePassword().isEmpty()) {
            throw new StartupRefusal("TLS keystore " + where + " needs its password: REFERRAL_BUS_TLS_KEYSTORE_PASSWORD is not set",
                    "Export REFERRAL_BUS_TLS_KEYSTORE_PASSWORD in the bus's environment (docs/operators.md, 'Production set-up').");
        }
        char[] password = tls.keystorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(tls.keystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            String alias = alias(store, tls.keyAlias(), where);
            if (!(store.getKey(alias, password) instanceof PrivateKey key) || store.getCertificateChain(alias) == null) {
                throw new StartupRefusal("TLS keystore " + where + ": entry '" + alias + "' is not a private key with its certificate",
                        "Export the key with its certificate: openssl pkcs12 -export -inkey tls.key -in tls.crt -name tls");
            }
            return new KeyEntry(key, store.getCertificateChain(alias));
        } catch (IOException | GeneralSecurityException e) {
            // Only the kind of failure: the cause never holds the password, but it is not shown either.
            throw new StartupRefusal("Cannot read the TLS keystore " + where + ": wrong password or not PKCS#12",
                    "Check REFERRAL_BUS_TLS_KEYSTORE_PASSWORD and that the file is PKCS#12 (docs/operators.md, 'Production set-up').");
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static String alias(KeyStore store, String configured, String where) throws GeneralSecurityException {
        if (configured != null && !configured.isEmpty()) {
            if (!store.isKeyEntry(configured)) {
                throw new StartupRefusal("TLS keystore " + where + " holds no key entry '" + configured
                        + "' (referral-bus.tls.key-alias)", "Set referral-bus.tls.key-alias to the name given to openssl pkcs12 -name.");
            }
            return configured;
        }
        List<String> keys = BusKeyLoader.keyEntries(store);
        if (keys.size() != 1) {
            throw new StartupRefusal("TLS keystore " + where + " holds " + keys.size() + " key entries",
                    "Set referral-bus.tls.key-alias to the one the server uses.");
        }
        return keys.get(0);
    }

    private static void refuseSpringBundleProperties(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return;
        }
        for (var source : configurable.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith("spring.ssl.bundle.pem." + BUNDLE + ".") || name.startsWith("spring.ssl.bundle.jks." + BUNDLE + ".")) {
                        throw new StartupRefusal(name + " is not read: the HTTPS server key is configured with referral-bus.tls.*",
                                "Use referral-bus.tls.keystore (PKCS#12) or referral-bus.tls.certificate and .private-key;"
                                        + " trust and ciphers follow the bus's policy (docs/operators.md, 'Configuration').");
                    }
                }
            }
        }
    }

    private static KeyStore emptyStore(String type) {
        try {
            KeyStore store = KeyStore.getInstance(type);
            store.load(null, null);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(type + " is in every JRE", e);
        }
    }

    private static String randomPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }
}
