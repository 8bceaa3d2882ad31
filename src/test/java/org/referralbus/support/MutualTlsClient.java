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
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
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

    /** A participant of another deployment PKI than the sample one: its certificate and key, trusting {@code ca}. */
    public static MutualTlsClient as(String baseUrl, Path certificate, Path key, X509Certificate ca) {
        return new MutualTlsClient(HttpClient.newBuilder().sslContext(sslContext(PemFiles.readCertificate(certificate),
                PemFiles.readPrivateKey(key), ca)).connectTimeout(Duration.ofSeconds(10)).build(), baseUrl);
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

    /**
     * Presents the client certificate even when its issuer is not among the CAs the server names: the JDK's default
     * would silently send none, and a test of "certificate from another CA" would only test the anonymous case.
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;

        AlwaysPresent(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return "me";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
            return "me";
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[] {"me"};
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    /** TLS context trusting the sample CA, presenting {@code certificate} if not null. */
    public static SSLContext sslContext(X509Certificate certificate, PrivateKey key) {
        return sslContext(certificate, key, SampleKeys.ca());
    }

    /** TLS context trusting {@code ca}, presenting {@code certificate} if not null. */
    public static SSLContext sslContext(X509Certificate certificate, PrivateKey key, X509Certificate ca) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
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
            KeyManager[] keyManagers = certificate == null ? kmf.getKeyManagers()
                    : new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
            ssl.init(keyManagers, tmf.getTrustManagers(), null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build TLS client", e);
        }
    }
}
