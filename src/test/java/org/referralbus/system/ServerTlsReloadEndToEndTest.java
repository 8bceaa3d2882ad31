package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.cli.ReferralBusCommandLine;
import org.referralbus.envelope.PemFiles;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;

/**
 * A renewed HTTPS certificate is served without a restart; a key that does not match its certificate (a pair copied
 * half-way) is not applied, and the certificate in force stays. After a reload the server still asks for and checks
 * client certificates (the bundle is rebuilt with the trust anchors; Spring Boot keeps {@code client-auth}).
 */
class ServerTlsReloadEndToEndTest {

    @TempDir
    Path work;

    @Test
    void aRenewedServerCertificateIsServedWithoutARestartAndAHalfCopiedPairIsNot() throws Exception {
        Path first = serverKeys("first");
        Path second = serverKeys("second");
        Path served = Files.createDirectories(work.resolve("tls"));
        Files.copy(first.resolve("tls/server.crt"), served.resolve("server.crt"));
        Files.copy(first.resolve("tls/server.key"), served.resolve("server.key"));
        String firstSerial = serial(first.resolve("tls/server.crt"));
        String secondSerial = serial(second.resolve("tls/server.crt"));

        try (StandaloneBus bus = StandaloneBus.start(work.resolve("data"), "--referral-bus.tls.certificate=" + served.resolve("server.crt"),
                "--referral-bus.tls.private-key=" + served.resolve("server.key"), "--referral-bus.registry.reload-interval=500ms")) {
            int port = URI.create(bus.baseUrl()).getPort();
            assertThat(servedSerial(port)).isEqualTo(firstSerial);

            Files.copy(second.resolve("tls/server.crt"), served.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(2_000); // four looks at the files: the certificate alone does not match the key in place
            assertThat(servedSerial(port)).as("a half-copied pair is not applied").isEqualTo(firstSerial);

            Files.copy(second.resolve("tls/server.key"), served.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Duration.ofSeconds(20)).until(() -> servedSerial(port).equals(secondSerial));

            // The reloaded server still asks for client certificates and checks them against the trust anchors.
            assertThat(statusLine(port, true)).as("a registered agency, after the reload").contains(" 200");
            assertThat(statusLine(port, false)).as("no client certificate, after the reload").contains(" 401");
        }
    }

    /** A PKI of its own from `keys init`; only its server certificate and key are used. */
    private Path serverKeys(String name) {
        Path out = work.resolve(name);
        int exit = ReferralBusCommandLine.run(new PrintWriter(new StringWriter()), "keys", "init", "--out", out.toString(),
                "--server-name", "localhost");
        assertThat(exit).isZero();
        return out;
    }

    private static String serial(Path certificate) {
        return PemFiles.readCertificate(certificate).getSerialNumber().toString(16);
    }

    /** The status line of GET /api/v1/bus/certificate, as the sample agency border-service or with no certificate. */
    private static String statusLine(int port, boolean asAgency) throws Exception {
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (asAgency) {
            keys.setKeyEntry("agency", SampleKeys.privateKey("agencies", "border-service"), "x".toCharArray(),
                    new Certificate[] {SampleKeys.certificateOf("agencies", "border-service")});
        }
        managers.init(keys, "x".toCharArray());
        TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(managers.getKeyManagers(), new TrustManager[] {any}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET /api/v1/bus/certificate HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    /** The serial of the certificate the server presents, over mutual TLS as an agency (its trust is not the point here). */
    private static String servedSerial(int port) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("agency", SampleKeys.privateKey("agencies", "border-service"), "x".toCharArray(),
                new Certificate[] {SampleKeys.certificateOf("agencies", "border-service")});
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "x".toCharArray());
        X509Certificate[] presented = new X509Certificate[1];
        TrustManager recordOnly = new X509TrustManager() {
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
            socket.startHandshake();
        }
        return presented[0].getSerialNumber().toString(16);
    }
}
