package org.referralbus.system;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.referralbus.core.TrustAnchors;
import org.referralbus.envelope.PemFiles;
import org.springframework.boot.artemis.autoconfigure.ArtemisMode;
import org.springframework.boot.artemis.autoconfigure.ArtemisProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * In the {@code prod} profile the bus refuses to start if any identity it would use is from the sample PKI: the
 * sample private keys are public, so anyone could read every referral. Sample certificates are recognised by
 * {@value #SAMPLE_MARKER} in their subject, which {@code keys-sample/generate.sh} writes into every one. The bus
 * key, which opens every referral, must come from a password-protected PKCS#12 keystore, not a plain PEM file. The
 * embedded broker's acceptor certificate is checked too ({@code referral-bus.broker.certificate}).
 */
@Component
@Profile("prod")
class SampleKeyGuard {

    static final String SAMPLE_MARKER = "Referral Bus SAMPLE ONLY";

    SampleKeyGuard(BusIdentityProperties identity, X509Certificate busCertificate, TrustAnchors anchors, SslBundles sslBundles,
                   BrokerProperties broker, ArtemisProperties artemis) {
        List<String> offenders = new ArrayList<>();
        check("bus identity", List.of(busCertificate), offenders);
        if (identity.keystore() == null) {
            offenders.add("bus key read from a PEM file (prod reads it from a PKCS#12 keystore: referral-bus.identity.keystore"
                    + " with REFERRAL_BUS_KEYSTORE_PASSWORD)");
        }
        check("trust anchors " + identity.trustAnchors(), anchors.certificates(), offenders);
        sslBundles.getBundleNames().forEach(name ->
                check("TLS bundle '" + name + "'", certificates(sslBundles.getBundle(name).getStores().getKeyStore()), offenders));
        if (artemis.getEmbedded().isEnabled() && artemis.getMode() != ArtemisMode.NATIVE) {
            check("embedded broker acceptor " + broker.certificate(), List.of(PemFiles.readCertificate(broker.certificate())), offenders);
        }
        if (!offenders.isEmpty()) {
            throw new IllegalStateException("Refusing to start in the prod profile with sample keys: "
                    + String.join("; ", offenders) + ". Generate real keys (docs/operators.md, 'Production set-up').");
        }
    }

    private static void check(String what, List<X509Certificate> certificates, List<String> offenders) {
        if (certificates.stream().anyMatch(SampleKeyGuard::isSample)) {
            offenders.add(what);
        }
    }

    /** Whether the certificate is from the sample PKI (issued by it, or its CA). */
    static boolean isSample(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName().contains(SAMPLE_MARKER)
                || certificate.getIssuerX500Principal().getName().contains(SAMPLE_MARKER);
    }

    private static List<X509Certificate> certificates(KeyStore store) {
        if (store == null) {
            return List.of();
        }
        try {
            List<X509Certificate> found = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate instanceof X509Certificate x509) {
                    found.add(x509);
                }
            }
            return found;
        } catch (KeyStoreException e) {
            throw new IllegalStateException("Cannot read TLS key store", e);
        }
    }
}
