package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.OpenSsl;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.referralbus.support.TestPki;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The HTTPS server key from a PKCS#12 keystore made with openssl, as an operator makes it: the bus serves that
 * certificate (the PEM defaults, pointed at files that do not exist, are not read), still asks for and accepts client
 * certificates from the trust anchors only, and keeps the cipher policy (TLS 1.2 CBC refused), checked with the real
 * {@code openssl s_client}.
 */
class TlsKeystoreEndToEndTest {

    private static final String PASSWORD = "tls-keystore-pass-4711";
    private static final Path SAMPLE = SampleKeys.ROOT.toAbsolutePath();

    @TempDir
    static Path dir;
    static StandaloneBus bus;
    static int port;

    @BeforeAll
    static void startWithTheServerKeyFromPkcs12() {
        assumeTrue(OpenSsl.available(), "needs the openssl binary");
        OpenSsl openssl = new OpenSsl(dir);
        openssl.run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "tls.key",
                "-subj", "/O=Keystore Test/CN=localhost", "-out", "tls.csr").requireSuccess();
        openssl.run("x509", "-req", "-in", "tls.csr", "-CA", SAMPLE.resolve("ca.crt").toString(), "-CAkey",
                SAMPLE.resolve("ca.key").toString(), "-set_serial", "0x" + Long.toHexString(System.nanoTime()), "-days", "2", "-extfile", write("tls.ext",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n"),
                "-out", "tls.crt").requireSuccess();
        openssl.run("pkcs12", "-export", "-inkey", "tls.key", "-in", "tls.crt", "-name", "tls", "-passout", "pass:" + PASSWORD,
                "-out", "tls.p12").requireSuccess();

        bus = StandaloneBus.start(dir.resolve("data"), "--referral-bus.tls.keystore=" + dir.resolve("tls.p12"),
                "--referral-bus.tls.keystore-password=" + PASSWORD, "--referral-bus.tls.key-alias=tls",
                "--referral-bus.tls.certificate=" + dir.resolve("absent.crt"),
                "--referral-bus.tls.private-key=" + dir.resolve("absent.key"));
        port = Integer.parseInt(bus.baseUrl().replaceFirst(".*:", ""));
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void theKeystoreCertificateIsServedAndClientCertificatesAreAskedForFromTheTrustAnchors() throws Exception {
        String output = sClient("-tls1_3");

        assertThat(output).contains("Cipher is TLS_").contains("O = Keystore Test, CN = localhost")
                .contains("Acceptable client certificate CA names").contains("CN = Referral Bus Sample CA");
    }

    @Test
    void aClientCertificateFromTheAnchorsGetsInAndNoneOrAnotherCasDoesNot() throws Exception {
        TestPki.Identity stranger = TestPki.unrelated().identity("border-service", ParticipantRole.AGENCY, TestPki.KeyType.EC_P256);

        assertThat(MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "border-service"),
                SampleKeys.key("agencies", "border-service")).get("/api/v1/bus/certificate").statusCode()).isEqualTo(200);
        assertThat(MutualTlsClient.anonymous(bus.baseUrl()).get("/api/v1/bus/certificate").statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> MutualTlsClient.as(bus.baseUrl(), stranger.certificate(), stranger.key())
                .get("/api/v1/bus/certificate")).isInstanceOf(IOException.class);
    }

    @Test
    void theCipherPolicyHoldsTls12CbcIsRefusedGcmAccepted() throws Exception {
        assertThat(sClient("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA@SECLEVEL=0")).doesNotContain("Cipher is ECDHE");
        assertThat(sClient("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256")).contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256");
        assertThat(sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")).doesNotContain("Cipher is ECDHE");
    }

    /** What an operator exports: the relaxed binding maps the variable onto referral-bus.tls.keystore-password. */
    @Test
    void thePasswordIsTakenFromTheEnvironmentVariable() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME + "-test",
                Map.of("REFERRAL_BUS_TLS_KEYSTORE_PASSWORD", PASSWORD)));

        String bound = new Binder(ConfigurationPropertySources.get(environment))
                .bind("referral-bus.tls.keystore-password", String.class).get();

        assertThat(bound).isEqualTo(PASSWORD);
    }

    private static String write(String name, String content) {
        try {
            return java.nio.file.Files.writeString(dir.resolve(name), content).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sClient(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
