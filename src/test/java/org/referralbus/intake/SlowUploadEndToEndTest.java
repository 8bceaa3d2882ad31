package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.Test;
import org.referralbus.envelope.PemFiles;
import org.referralbus.support.SocketAnswer;
import org.referralbus.support.BusProbe;
import org.referralbus.support.LogCapture;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.system.RequestsInProgress;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * An agency on a bad line (an outside walkthrough, 2026-12-05): a body that stops arriving, or whose connection closes
 * before its declared length, is refused {@code 408 upload_incomplete} as problem details, audited as one REJECTED row
 * and logged in one line without a stack trace; before, it was Tomcat's 408 with {@code invalid_request}, no audit
 * row, and an ERROR with 150 lines of trace. The stalled upload runs against a 2 s upload timeout set on the running
 * connector for that test only (the shared bus keeps the documented 2 minutes, checked here too).
 */
class SlowUploadEndToEndTest extends RunningBus {

    private static final String AGENCY = "border-service";
    private static final String ADDRESS = "127.0.0.1";
    private static final Duration SHORT_UPLOAD_TIMEOUT = Duration.ofSeconds(2);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    ServletWebServerApplicationContext context;

    @Test
    void theDocumentedTimeoutsAreTheConnectorsAndOperatorsMdSaysWhy() throws Exception {
        AbstractHttp11Protocol<?> protocol = protocol();

        assertThat(protocol.getConnectionTimeout()).as("handshake and head").isEqualTo(30_000);
        assertThat(protocol.getDisableUploadTimeout()).isFalse();
        assertThat(protocol.getConnectionUploadTimeout()).as("a body").isEqualTo(120_000);
        assertThat(protocol.getKeepAliveTimeout()).isEqualTo(20_000);
        String operators = Files.readString(Path.of("docs/operators.md"));
        assertThat(operators).contains("| `server.tomcat.connection-timeout` | `30s` |", "| `referral-bus.intake.upload-timeout` | `2m` |",
                "## Slow lines");
    }

    @Test
    void anUploadThatStallsLongerThanTheTimeoutIsRefusedAuditedAndLoggedInOneLine() throws Exception {
        byte[] envelope = envelope();
        BusProbe probe = new BusProbe(jdbc, json).mark();
        AbstractHttp11Protocol<?> protocol = protocol();
        int uploadTimeout = protocol.getConnectionUploadTimeout();
        protocol.setConnectionUploadTimeout((int) SHORT_UPLOAD_TIMEOUT.toMillis());
        try (LogCapture logs = LogCapture.start(); SSLSocket socket = agencySocket()) {
            startUpload(socket, envelope, 1000);

            String answer = answer(socket);

            assertThat(answer).startsWith("HTTP/1.1 408").contains("Content-Type: application/problem+json",
                    "\"code\":\"upload_incomplete\"", "send the same file again").doesNotContain("Exception", "Tomcat");
            probe.assertRejectedAndNothingDelivered("upload_incomplete");
            assertOneLineWithoutTrace(logs, "nothing more arrived within the upload timeout after 1000 of " + envelope.length + " bytes");
        } finally {
            protocol.setConnectionUploadTimeout(uploadTimeout);
        }
    }

    @Test
    void anUploadWhoseSenderClosesMidBodyIsRefusedAndAuditedWithoutAnError() throws Exception {
        byte[] envelope = envelope();
        BusProbe probe = new BusProbe(jdbc, json).mark();
        int before = RequestsInProgress.from(context, ADDRESS);
        try (LogCapture logs = LogCapture.start(); SSLSocket socket = agencySocket()) {
            startUpload(socket, envelope, 3000);
            awaitInProgress(before);
            socket.shutdownOutput(); // the line drops the sending half: the answer can still come back

            String answer = answer(socket);

            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"upload_incomplete\"");
            probe.assertRejectedAndNothingDelivered("upload_incomplete");
            assertOneLineWithoutTrace(logs, "the connection closed after 3000 of " + envelope.length + " bytes");
        }
    }

    @Test
    void anUploadCutOffMidBodyIsAuditedWithoutAnError() throws Exception {
        byte[] envelope = envelope();
        BusProbe probe = new BusProbe(jdbc, json).mark();
        int before = RequestsInProgress.from(context, ADDRESS);
        try (LogCapture logs = LogCapture.start()) {
            try (SSLSocket socket = agencySocket()) {
                startUpload(socket, envelope, 3000);
                awaitInProgress(before);
                socket.setSoLinger(true, 0); // closing resets the connection: nothing can be answered
            }

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> probe.assertRejectedAndNothingDelivered("upload_incomplete"));
            // the row is written just before the line: nothing waits for the answer here
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertOneLineWithoutTrace(logs, "the connection closed after 3000 of " + envelope.length + " bytes"));
        }
    }

    /** The JSON bodies of the other endpoints (an acknowledgement here) are read before their endpoint: the same answer. */
    @Test
    void aJsonBodyWhoseSenderClosesMidwayGetsTheSameAnswerWithoutAnError() throws Exception {
        int before = RequestsInProgress.from(context, ADDRESS);
        try (LogCapture logs = LogCapture.start(); SSLSocket socket = socket("providers", "shelter-dushanbe")) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/inbox/00000000-0000-4000-8000-000000000000/ack HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"decision\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitInProgress(before);
            socket.shutdownOutput();

            String answer = answer(socket);

            assertThat(answer).startsWith("HTTP/1.1 408").contains("Content-Type: application/problem+json",
                    "\"code\":\"upload_incomplete\"");
            assertThat(logs.events()).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR));
        }
    }

    private static void assertOneLineWithoutTrace(LogCapture logs, String text) {
        List<ILoggingEvent> lines = logs.events().stream()
                .filter(event -> event.getFormattedMessage().contains("Upload of " + AGENCY + " incomplete")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).getFormattedMessage()).endsWith(text);
        assertThat(lines.get(0).getLevel()).isEqualTo(Level.INFO);
        assertThat(lines.get(0).getThrowableProxy()).isNull();
        assertThat(logs.events()).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)
                || event.getThrowableProxy() != null && event.getLoggerName().startsWith("org.referralbus"));
    }

    /** Closing before the bus took the request would test Tomcat's reading of a head, not the intake's of a body. */
    private void awaitInProgress(int before) {
        await().atMost(Duration.ofSeconds(20)).until(() -> RequestsInProgress.from(context, ADDRESS) > before);
    }

    private AbstractHttp11Protocol<?> protocol() {
        return (AbstractHttp11Protocol<?>) ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector().getProtocolHandler();
    }

    private SSLSocket agencySocket() throws Exception {
        return socket("agencies", AGENCY);
    }

    private SSLSocket socket(String folder, String participant) throws Exception {
        SSLSocket socket = (SSLSocket) MutualTlsClient.sslContext(PemFiles.readCertificate(SampleKeys.certificate(folder, participant)),
                SampleKeys.privateKey(folder, participant)).getSocketFactory().createSocket(ADDRESS, port);
        socket.setSoTimeout(20_000);
        return socket;
    }

    /** The headers with the whole envelope's length, and only its first {@code part} bytes. */
    private static void startUpload(SSLSocket socket, byte[] envelope, int part) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/referrals HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/pkcs7-mime\r\n"
                + "Content-Length: " + envelope.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(envelope, 0, part);
        out.flush();
    }

    /** Everything the bus sends until it closes the connection. */
    private static String answer(SSLSocket socket) throws Exception {
        SocketAnswer answer = SocketAnswer.read(socket);
        if (!answer.closed()) {
            throw new AssertionError("no end of the answer in 20 s; so far: " + answer.text());
        }
        return answer.text();
    }

    private static byte[] envelope() {
        String referral = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        return SampleKeys.agencySealer(AGENCY).seal(referral.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
    }
}
