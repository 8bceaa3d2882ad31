package org.referralbus.bench;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.referralbus.core.TransientKeyEntry;
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
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                trustStore.setCertificateEntry("ca" + i, anchors.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext ssl = SSLContext.getInstance("TLS");
            if (certificate == null) {
                ssl.init(null, tmf.getTrustManagers(), null);
                return ssl;
            }
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            char[] transientPassword = "in-memory".toCharArray();
            TransientKeyEntry.put(identity, "me", key, transientPassword, new Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(identity, transientPassword);
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Cannot build a TLS context from " + certificate, e);
        }
    }
}
