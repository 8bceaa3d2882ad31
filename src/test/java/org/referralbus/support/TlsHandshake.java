package org.referralbus.support;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** What a TLS server shows a client: for tests of certificates renewed under a running server. */
public final class TlsHandshake {

    private TlsHandshake() {
    }

    /**
     * The certificate the TLS server on {@code port} (the bus's HTTPS port, a broker acceptor) presents to a new
     * connection, seen by a handshake as the sample agency border-service (both ask for a client certificate); nothing
     * is sent after the handshake. Its trust is not judged here.
     */
    public static X509Certificate presentedCertificate(int port) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("agency", SampleKeys.privateKey("agencies", "border-service"), "x".toCharArray(),
                new Certificate[] {SampleKeys.certificateOf("agencies", "border-service")});
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "x".toCharArray());
        X509Certificate[] presented = new X509Certificate[1];
        X509TrustManager recordOnly = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                presented[0] = chain[0];
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(managers.getKeyManagers(), new TrustManager[] {recordOnly}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.startHandshake();
        }
        return presented[0];
    }
}
