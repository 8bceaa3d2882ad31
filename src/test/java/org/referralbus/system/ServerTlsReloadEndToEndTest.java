package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.envelope.PemFiles;
import org.referralbus.support.LogCapture;
import org.referralbus.support.OpenSsl;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.referralbus.support.TestPki;
import org.referralbus.support.TlsHandshake;

/**
 * A renewed HTTPS certificate is served without a restart; a key that does not match its certificate (a pair copied
 * half-way) is not applied, and the certificate in force stays. After a reload the server still asks for and checks
 * client certificates (the bundle is rebuilt with the trust anchors; Spring Boot keeps {@code client-auth}). A pair
 * that matches but that clients would refuse is not applied either ({@link ServerTlsReloadTest} has each reason).
 */
class ServerTlsReloadEndToEndTest {

    @TempDir
    Path work;

    @Test
    void aRenewedServerCertificateIsServedWithoutARestartAndAHalfCopiedPairIsNot() throws Exception {
        Path first = serverKeys("first", daysFromNow(-1), daysFromNow(30));
        Path second = serverKeys("second", daysFromNow(-1), daysFromNow(730));
        Path served = Files.createDirectories(work.resolve("tls"));
        Files.copy(first.resolve("server.crt"), served.resolve("server.crt"));
        Files.copy(first.resolve("server.key"), served.resolve("server.key"));
        String firstSerial = serial(first.resolve("server.crt"));
        String secondSerial = serial(second.resolve("server.crt"));

        try (StandaloneBus bus = StandaloneBus.start(work.resolve("data"), "--referral-bus.tls.certificate=" + served.resolve("server.crt"),
                "--referral-bus.tls.private-key=" + served.resolve("server.key"), "--referral-bus.registry.reload-interval=500ms")) {
            int port = URI.create(bus.baseUrl()).getPort();
            assertThat(servedSerial(port)).isEqualTo(firstSerial);

            Files.copy(second.resolve("server.crt"), served.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(2_000); // four looks at the files: the certificate alone does not match the key in place
            assertThat(servedSerial(port)).as("a half-copied pair is not applied").isEqualTo(firstSerial);

            Files.copy(second.resolve("server.key"), served.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Duration.ofSeconds(20)).until(() -> servedSerial(port).equals(secondSerial));

            // The reloaded server still asks for client certificates and checks them against the trust anchors.
            assertThat(statusLine(port, true)).as("a registered agency, after the reload").contains(" 200");
            assertThat(statusLine(port, false)).as("no client certificate, after the reload").contains(" 401");
        }
    }

    /**
     * A whole pair that matches but that clients would refuse (here: expired, as an old backup copied back by mistake)
     * is not applied: one warning names the file, and a client that checks the certificate, its CA and the host name
     * ({@code openssl s_client}) still completes its handshake with the certificate in force.
     */
    @Test
    void anExpiredPairCopiedInIsNotServedAndAVerifyingClientStillConnects() throws Exception {
        assumeTrue(OpenSsl.available(), "needs the openssl binary");
        Path inForce = serverKeys("in-force", daysFromNow(-1), daysFromNow(730));
        Path expired = serverKeys("expired", daysFromNow(-800), daysFromNow(-70));
        Path served = Files.createDirectories(work.resolve("tls"));
        Files.copy(inForce.resolve("server.crt"), served.resolve("server.crt"));
        Files.copy(inForce.resolve("server.key"), served.resolve("server.key"));
        String inForceSerial = serial(inForce.resolve("server.crt"));

        try (StandaloneBus bus = StandaloneBus.start(work.resolve("data"), "--referral-bus.tls.certificate=" + served.resolve("server.crt"),
                "--referral-bus.tls.private-key=" + served.resolve("server.key"), "--referral-bus.registry.reload-interval=500ms");
             LogCapture log = LogCapture.start()) {
            int port = URI.create(bus.baseUrl()).getPort();
            assertThat(verifyingHandshake(port)).isEqualTo(inForceSerial);

            Files.copy(expired.resolve("server.key"), served.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(expired.resolve("server.crt"), served.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
            String notApplied = "HTTPS certificate change not applied, the certificate in force stays: " + served.resolve("server.crt");
            await().atMost(Duration.ofSeconds(20)).until(() -> !log.lines(notApplied).isEmpty());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> log.lines(notApplied).size() == 1);

            assertThat(log.lines(notApplied)).singleElement().asString().contains("expired on");
            assertThat(verifyingHandshake(port)).as("the certificate in force, verified with its CA and host name")
                    .isEqualTo(inForceSerial);
            assertThat(statusLine(port, true)).as("a registered agency, after the refused change").contains(" 200");
        }
    }

    /**
     * The serial of the certificate {@code openssl s_client} accepted, checking the chain to the sample CA (the
     * default trust anchor) and the host name {@code localhost}; fails if the handshake or the verification fails.
     */
    private String verifyingHandshake(int port) throws Exception {
        OpenSsl.Result result = new OpenSsl(work).run("s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                "-CAfile", SampleKeys.ROOT.resolve("ca.crt").toAbsolutePath().toString(), "-verify_return_error",
                "-verify_hostname", "localhost").requireSuccess();
        assertThat(result.output()).contains("Verify return code: 0 (ok)");
        String pem = result.output().substring(result.output().indexOf("-----BEGIN CERTIFICATE-----"),
                result.output().indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length());
        X509Certificate presented = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        return presented.getSerialNumber().toString(16);
    }

    /** A server certificate for localhost and 127.0.0.1 from the sample CA, which a default bus trusts. */
    private Path serverKeys(String name, Instant notBefore, Instant notAfter) throws Exception {
        Path out = Files.createDirectories(work.resolve(name));
        TestPki.sample().server(List.of("localhost", "127.0.0.1"), notBefore, notAfter).writePem(out, "server");
        return out;
    }

    private static Instant daysFromNow(int days) {
        return Instant.now().plus(Duration.ofDays(days));
    }

    private static String serial(Path certificate) {
        return PemFiles.readCertificate(certificate).getSerialNumber().toString(16);
    }

    /** The status line of GET /api/v1/bus/certificate, as the sample agency border-service or with no certificate. */
    private static String statusLine(int port, boolean asAgency) throws Exception {
        return TlsHandshake.statusLine(port, "/api/v1/bus/certificate", asAgency);
    }

    /** The serial of the certificate the server presents, over mutual TLS as an agency (its trust is not the point here). */
    private static String servedSerial(int port) throws Exception {
        return TlsHandshake.presentedCertificate(port).getSerialNumber().toString(16);
    }
}
