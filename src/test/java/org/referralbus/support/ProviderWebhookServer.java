package org.referralbus.support;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.referralbus.envelope.PemFiles;

/**
 * A provider's webhook endpoint (or an agency's status callback) for tests: HTTPS with the sample localhost certificate, requiring a client
 * certificate from the sample CA. Path {@code /flaky} fails the first {@code failuresBeforeSuccess} pushes,
 * {@code /down} always fails, anything else succeeds.
 */
public final class ProviderWebhookServer implements AutoCloseable {

    /** {@code eventSignature}: the {@code Referral-Bus-Event-Signature} header of a status callback, else null. */
    public record Push(String path, String clientSubject, String deliveryId, byte[] body, int answeredWith, String eventSignature) {
    }

    private final HttpsServer server;
    private final List<Push> pushes = new CopyOnWriteArrayList<>();
    private final AtomicInteger flakyCalls = new AtomicInteger();

    public ProviderWebhookServer(int failuresBeforeSuccess) throws Exception {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext ssl = sslContext();
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                var parameters = ssl.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            int status = switch (path) {
                case "/down" -> 503;
                case "/flaky" -> flakyCalls.incrementAndGet() <= failuresBeforeSuccess ? 500 : 204;
                default -> 204;
            };
            String subject = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            pushes.add(new Push(path, subject, exchange.getRequestHeaders().getFirst("Referral-Bus-Delivery-Id"), body, status,
                    exchange.getRequestHeaders().getFirst("Referral-Bus-Event-Signature")));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + path;
    }

    public List<Push> pushes(String path) {
        return pushes.stream().filter(p -> p.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The sample {@code localhost} server certificate, trusting the sample CA: for any test's stand-in HTTPS server. */
    public static SSLContext sslContext() throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("tls", PemFiles.readPrivateKey(SampleKeys.ROOT.resolve("tls/localhost.key")), password,
                new Certificate[] {PemFiles.readCertificate(SampleKeys.ROOT.resolve("tls/localhost.crt"))});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", SampleKeys.ca());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
