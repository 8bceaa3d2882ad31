package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.referralbus.support.LogCapture;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.OpenSsl;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;

/** What the bus shows on the wire: only strong TLS, protective headers, no product names or versions. */
class TransportHardeningEndToEndTest extends RunningBus {

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
            "-tls1_1, DEFAULT@SECLEVEL=0",
            "-tls1, DEFAULT@SECLEVEL=0",
            "-tls1_2, ECDHE-ECDSA-AES128-SHA@SECLEVEL=0",
            "-tls1_2, ECDHE-ECDSA-AES256-SHA384",
            "-tls1_2, AES128-GCM-SHA256"})
    void oldProtocolsAndWeakCipherSuitesAreRefused(String protocol, String ciphers) throws Exception {
        assumeTrue(OpenSsl.available(), "needs the openssl binary");

        Handshake handshake = handshake(protocol, "-cipher", ciphers);

        assertThat(handshake.established()).as(handshake.output()).isFalse();
    }

    @Test
    void tls12WithAnAeadForwardSecretSuiteAndTls13AreAccepted() throws Exception {
        assumeTrue(OpenSsl.available(), "needs the openssl binary");

        assertThat(handshake("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256").established()).isTrue();
        assertThat(handshake("-tls1_3").established()).isTrue();
    }

    @Test
    void everyAnswerCarriesHstsAndAStrictContentSecurityPolicyAndNoServerBanner() throws Exception {
        MutualTlsClient anonymous = MutualTlsClient.anonymous(baseUrl());
        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        answers.add(anonymous.get("/actuator/health"));
        answers.add(anonymous.get("/api/v1/bus/certificate"));
        answers.add(agency("ngo-hotline").get("/api/v1/no-such-thing"));
        answers.add(agency("ngo-hotline").post("/api/v1/referrals", new byte[] {1, 2, 3}, "application/pkcs7-mime"));

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 401, 403, 400);
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000 ; includeSubDomains");
            assertThat(answer.headers().firstValue("Content-Security-Policy")).hasValue(SecurityConfiguration.CONTENT_SECURITY_POLICY);
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(answer.headers().firstValue("Server")).isEmpty();
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).doesNotContainIgnoringCase("tomcat")
                    .doesNotContainIgnoringCase("spring").doesNotContain("Exception");
        });
        assertThat(SecurityConfiguration.CONTENT_SECURITY_POLICY).contains("default-src 'none'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "*");
    }

    @Test
    void everyAnswerConsoleIncludedCarriesReferrerPolicyNoReferrer() throws Exception {
        MutualTlsClient anonymous = MutualTlsClient.anonymous(baseUrl());
        List<HttpResponse<byte[]>> api = new ArrayList<>();
        api.add(anonymous.get("/actuator/health"));
        api.add(anonymous.get("/api/v1/bus/certificate"));
        api.add(agency("ngo-hotline").get("/api/v1/no-such-thing"));
        api.add(agency("ngo-hotline").post("/api/v1/referrals", new byte[] {1, 2, 3}, "application/pkcs7-mime"));
        List<HttpResponse<byte[]>> console = new ArrayList<>();
        console.add(anonymous.get("/audit"));
        console.add(anonymous.get("/audit/login"));
        console.add(anonymous.get("/audit/login?error"));
        console.add(anonymous.get("/audit/console.css"));
        console.add(anonymous.get("/audit/api/referrals"));
        console.add(anonymous.post("/audit/login", "username=x&password=y&code=1".getBytes(StandardCharsets.US_ASCII),
                "application/x-www-form-urlencoded"));

        assertThat(api).extracting(HttpResponse::statusCode).containsExactly(200, 401, 403, 400);
        assertThat(console).extracting(HttpResponse::statusCode).containsExactly(302, 200, 200, 200, 302, 403);
        List<HttpResponse<byte[]>> every = new ArrayList<>(api);
        every.addAll(console);
        assertThat(every).allSatisfy(answer -> {
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(answer.uri().toString()).hasValue("no-referrer");
            assertThat(answer.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000 ; includeSubDomains");
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(answer.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                    csp -> assertThat(csp).contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
        });
    }

    @Test
    void requestsTheServletNeverSeesGetNoProductOrVersionEither() throws Exception {
        try (SSLSocket socket = (SSLSocket) MutualTlsClient.sslContext(null, null).getSocketFactory()
                .createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/%%%{bad} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer).doesNotContainIgnoringCase("tomcat").doesNotContainIgnoringCase("Server:")
                    .doesNotContainPattern("\\d+\\.\\d+\\.\\d+");
        }
    }

    @Test
    void aRequestLineTomcatCannotParseLeavesNothingOfItInTheLog() throws Exception {
        String name = "Раҳимова"; // a URL can carry a name: Tomcat logged the target hex-encoded, which decodes back
        try (LogCapture log = LogCapture.start();
             SSLSocket socket = (SSLSocket) MutualTlsClient.sslContext(null, null).getSocketFactory()
                     .createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/inbox?q=" + name + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(log.events()).noneSatisfy(event -> assertThat(event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage()))
                    .containsAnyOf("0xd0", "request target", name));
        }
        assertThat(org.slf4j.LoggerFactory.getLogger("org.apache.coyote.http11.Http11Processor").isInfoEnabled())
                .as("the first unparsable request after a start is logged at INFO, later ones at DEBUG").isFalse();
    }

    @Test
    void requestsTheFirewallOrTheContainerRefuseGetAProblemThatDoesNotRepeatThePath() throws Exception {
        java.util.Map<String, String> codes = java.util.Map.of(
                "GET /api/v1/referrals/Rahimova;jsessionid=Mehrangez/status HTTP/1.1", "invalid_request",
                "TRACE /api/v1/referrals HTTP/1.1", "method_not_allowed");
        for (String request : codes.keySet()) {
            try (SSLSocket socket = (SSLSocket) MutualTlsClient.sslContext(SampleKeys.certificateOf("agencies", "ngo-hotline"),
                    SampleKeys.privateKey("agencies", "ngo-hotline")).getSocketFactory().createSocket("localhost", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write((request + "\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(answer).as(request).matches("(?s)HTTP/1.1 40[05] .*")
                        .contains("\"code\":\"" + codes.get(request) + "\"")
                        .doesNotContain("Rahimova", "Mehrangez", "\"path\"", "timestamp");
            }
        }
        try (SSLSocket socket = (SSLSocket) MutualTlsClient.sslContext(SampleKeys.certificateOf("agencies", "ngo-hotline"),
                SampleKeys.privateKey("agencies", "ngo-hotline")).getSocketFactory().createSocket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/v1/referrals/Rahimova;jsessionid=Mehrangez/status HTTP/1.1\r\n"
                    + "Host: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String browser = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(browser).as("a browser's error page").startsWith("HTTP/1.1 400").doesNotContain("Rahimova", "Mehrangez");
        }
    }

    private record Handshake(boolean established, String output) {
    }

    private Handshake handshake(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(new File("/dev/null")).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        boolean established = process.exitValue() == 0 && output.contains("Cipher is ") && !output.contains("Cipher is (NONE)");
        return new Handshake(established, output);
    }
}
