package org.referralbus.bench;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.referralbus.core.ClientTls;
import org.referralbus.envelope.PemFiles;

/** TLS contexts trusting only the deployment CA: anonymous (health checks) or presenting an agency's certificate. */
final class AgencyTls {

    private final List<X509Certificate> anchors;

    AgencyTls(Path ca) {
        this.anchors = PemFiles.readCertificates(ca);
    }

    List<X509Certificate> anchors() {
        return anchors;
    }

    SSLContext anonymous() {
        return context(null, null);
    }

    SSLContext as(Path certificate, Path key) {
        return context(PemFiles.readCertificate(certificate), PemFiles.readPrivateKey(key));
    }

    private SSLContext context(X509Certificate certificate, PrivateKey key) {
        try {
            return ClientTls.of(certificate, key, anchors);
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Cannot build a TLS context from " + certificate, e);
        }
    }
}
