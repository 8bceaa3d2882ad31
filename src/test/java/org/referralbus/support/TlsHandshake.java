package org.referralbus.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
        X509Certificate[] presented = new X509Certificate[1];
        try (SSLSocket socket = (SSLSocket) context(true, presented).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.startHandshake();
        }
        return presented[0];
    }

    /**
     * The status line the HTTPS server on {@code port} answers to {@code GET path}, as the sample agency border-service
     * or with no client certificate; the server's certificate is not judged.
     */
    public static String statusLine(int port, String path, boolean asAgency) throws IOException, GeneralSecurityException {
        try (SSLSocket socket = (SSLSocket) context(asAgency, new X509Certificate[1]).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    /** A TLS 1.3 client context that keeps the server's certificate in {@code presented[0]} instead of judging it. */
    private static SSLContext context(boolean asAgency, X509Certificate[] presented) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (asAgency) {
            keys.setKeyEntry("agency", SampleKeys.privateKey("agencies", "border-service"), "x".toCharArray(),
                    new Certificate[] {SampleKeys.certificateOf("agencies", "border-service")});
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "x".toCharArray());
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
        return context;
    }
}
