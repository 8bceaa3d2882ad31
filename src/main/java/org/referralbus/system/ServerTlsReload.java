package org.referralbus.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.referralbus.core.Sha256;
import org.referralbus.core.StartupRefusal;
import org.referralbus.core.TrustAnchors;
import org.referralbus.participants.Revocations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Renews the HTTPS server's key and certificate without a restart: the files of {@code referral-bus.tls.*} are looked
 * at every {@code referral-bus.registry.reload-interval}, as the registries are, and a change that holds a key
 * matching its certificate replaces the server's SSL bundle, which Tomcat applies to new connections. A change that
 * does not (a half-copied pair, a wrong password) is logged and the key in force stays. In the {@code prod} profile a
 * sample certificate is refused here as at start ({@link SampleKeyGuard}): the sample keys are public, and a reload
 * must not serve what a start would refuse. Nor is a certificate applied that clients would refuse
 * ({@link ServerCertificateCheck}: expired or not yet valid, revoked by the CRLs of
 * {@code referral-bus.identity.crl-files}, from a CA the bus does not trust, not for servers, or dropping a host name
 * of the one in force): it is logged once per content of the files, as a warning naming the file, and the certificate
 * in force stays. The bus's signing key is still read at start only; the broker's acceptor renews through Artemis
 * ({@code BrokerLayout.tlsAcceptorParameters}).
 */
@Component
class ServerTlsReload {

    private static final Logger log = LoggerFactory.getLogger(ServerTlsReload.class);

    private final SslBundleRegistry bundles;
    private final SslBundles served;
    private final TlsProperties tls;
    private final TrustAnchors anchors;
    private final ServerCertificateCheck check;
    private final Clock clock;
    private final boolean production;
    private String inForce;
    private String refused;
    private Instant lookAgainAt;

    ServerTlsReload(SslBundleRegistry bundles, SslBundles served, TlsProperties tls, TrustAnchors anchors,
                    Revocations revocations, Clock clock, Environment environment) {
        this.bundles = bundles;
        this.served = served;
        this.tls = tls;
        this.anchors = anchors;
        this.check = new ServerCertificateCheck(anchors, revocations, clock);
        this.clock = clock;
        this.production = environment.acceptsProfiles(Profiles.of("prod"));
        this.inForce = fingerprint();
    }

    // The registries' interval, not the CRLs': a CRL is looked at lazily, on use, and 0s there means "at every use".
    @Scheduled(fixedDelayString = "${referral-bus.registry.reload-interval:10s}",
            initialDelayString = "${referral-bus.registry.reload-interval:10s}")
    synchronized void reloadIfChanged() {
        String now = fingerprint();
        if (now.equals(inForce) || now.equals(refused) && (lookAgainAt == null || clock.instant().isBefore(lookAgainAt))) {
            return;
        }
        lookAgainAt = null;
        try {
            SslBundle bundle = ServerTlsConfiguration.bundle(tls, anchors);
            keyMatchesCertificate(bundle);
            if (production && SampleKeyGuard.isSample(serverCertificate(bundle))) {
                throw new StartupRefusal("the new HTTPS certificate is from the sample PKI, whose keys are public (the prod profile"
                        + " refuses it)", "Install a certificate from your own CA (docs/operators.md, 'Production set-up').");
            }
            List<X509Certificate> next = ServerTlsConfiguration.chain(bundle);
            Optional<ServerCertificateCheck.Objection> objection = check.againstRenewal(next,
                    ServerTlsConfiguration.chain(served.getBundle(ServerTlsConfiguration.BUNDLE)));
            if (objection.isPresent()) {
                refused = now; // said once; the next change is looked at again, a certificate not yet valid when it is
                lookAgainAt = objection.get().lookAgainAt();
                log.warn("HTTPS certificate change not applied, the certificate in force stays: {} {}. {}",
                        ServerTlsConfiguration.certificateFile(tls), objection.get().problem(), objection.get().action());
                return;
            }
            bundles.updateBundle(ServerTlsConfiguration.BUNDLE, bundle);
            inForce = now;
            refused = null;
            log.info("HTTPS server key and certificate reloaded ({})", serverCertificate(bundle).getSubjectX500Principal().getName());
        } catch (RuntimeException | GeneralSecurityException notUsable) {
            refused = now; // said once; the next change is looked at again
            log.error("HTTPS server key change not applied, the key in force stays: {}", notUsable instanceof StartupRefusal
                    ? notUsable.getMessage() : "the key does not match the certificate, or the files cannot be read");
        }
    }

    /** A signature by the key that the certificate's public key verifies: a pair copied half-way fails here. */
    private static void keyMatchesCertificate(SslBundle bundle) throws GeneralSecurityException {
        KeyStore store = bundle.getStores().getKeyStore();
        String alias = bundle.getKey().getAlias();
        PrivateKey key = (PrivateKey) store.getKey(alias, bundle.getStores().getKeyStorePassword().toCharArray());
        X509Certificate certificate = serverCertificate(bundle);
        String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        byte[] probe = "referral-bus tls reload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("key and certificate do not match");
        }
    }

    private static X509Certificate serverCertificate(SslBundle bundle) {
        return ServerTlsConfiguration.chain(bundle).get(0);
    }

    /** What the configured files hold now (their bytes' SHA-256), or "unreadable". */
    private String fingerprint() {
        StringBuilder all = new StringBuilder();
        for (Path file : Stream.of(tls.keystore(), tls.certificate(), tls.privateKey()).filter(java.util.Objects::nonNull).toList()) {
            try {
                all.append(Sha256.hex(Files.readAllBytes(file))).append('\n');
            } catch (IOException unreadable) {
                all.append("unreadable\n");
            }
        }
        return all.toString();
    }
}
