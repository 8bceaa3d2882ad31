package org.referralbus.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.referralbus.envelope.PemFiles;

/** A real HTTPS client for tests: TLS to the bus, optionally presenting a participant's client certificate. */
public final class MutualTlsClient {

    private final HttpClient http;
    private final String baseUrl;

    private MutualTlsClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    public static MutualTlsClient as(String baseUrl, Path certificate, Path key) {
        return new MutualTlsClient(client(PemFiles.readCertificate(certificate), PemFiles.readPrivateKey(key)), baseUrl);
    }

    public static MutualTlsClient anonymous(String baseUrl) {
        return new MutualTlsClient(client(null, null), baseUrl);
    }

    public HttpResponse<byte[]> post(String path, byte[] body, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<byte[]> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A client presenting any certificate (e.g. expired, revoked, from another CA) and key. */
    public static MutualTlsClient as(String baseUrl, X509Certificate certificate, PrivateKey key) {
        return new MutualTlsClient(client(certificate, key), baseUrl);
    }

    public HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private static HttpClient client(X509Certificate certificate, PrivateKey key) {
        return HttpClient.newBuilder().sslContext(sslContext(certificate, key)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** TLS context trusting the sample CA, presenting {@code certificate} if not null. */
    public static SSLContext sslContext(X509Certificate certificate, PrivateKey key) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", SampleKeys.ca());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            if (certificate != null) {
                identity.setKeyEntry("me", key, "x".toCharArray(), new Certificate[] {certificate});
            }
            kmf.init(identity, "x".toCharArray());
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build TLS client", e);
        }
    }
}
