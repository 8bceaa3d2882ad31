package org.referralbus.core;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client context built in memory from PEM material: the bus pushing to webhooks and callbacks, the command
 * line, the benchmark's agencies. It trusts only the given anchors and presents the given certificate and key (none
 * when the certificate is null). Callers say in their own words what went wrong.
 */
public final class ClientTls {

    private ClientTls() {
    }

    public static SSLContext of(X509Certificate certificate, PrivateKey key, List<X509Certificate> anchors)
            throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
            trust.setCertificateEntry("ca" + i, anchors.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
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
    }
}
