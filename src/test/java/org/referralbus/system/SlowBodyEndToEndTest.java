package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.referralbus.audit.RefusalTally;
import org.referralbus.envelope.PemFiles;
import org.referralbus.intake.IntakeProperties;
import org.referralbus.intake.IntakeProperties.UploadPace;
import org.referralbus.support.BusProbe;
import org.referralbus.support.LogCapture;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.SocketAnswer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A body trickled a byte at a time, never silent for as long as the upload timeout (2 minutes, left as it is here),
 * held its request thread for as long as the client liked: an agency's upload, and a console sign-in within the
 * anonymous cap. Reproduced on the bus as it was (2026-12-05): both trickles below got no answer in 20 s and their
 * requests stayed in progress. Now a body that falls behind the pace ({@code referral-bus.intake.upload-pace}, made
 * tight for these tests on the running bus) is refused {@code 408 upload_incomplete} like one that went silent, and
 * its thread is free. The upload is answered as problem details; the sign-in's connection is closed, as Tomcat does
 * for a form it could not read whole, and counted into the trail.
 */
class SlowBodyEndToEndTest extends RunningBus {

    private static final String AGENCY = "border-service";
    private static final String ADDRESS = "127.0.0.1";
    /** One byte a TLS record, far slower than the pace below and far more often than the upload timeout. */
    private static final Duration TRICKLE = Duration.ofMillis(250);

    @Autowired
    ServletWebServerApplicationContext context;
    @Autowired
    UploadPacing pacing;
    @Autowired
    AnonymousRequestLimit anonymousLimit;
    @Autowired
    IntakeProperties intake;
    @Autowired
    RefusalTally refusals;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;

    @AfterEach
    void documentedPace() {
        pacing.pace(intake.uploadPace());
    }

    @Test
    void theUploadTimeoutIsLeftAsItIsSoEachByteResetsIt() {
        assertThat(protocol().getConnectionUploadTimeout()).isEqualTo(120_000);
        assertThat(protocol()).isInstanceOf(PacedHttp11NioProtocol.class);
        assertThat(intake.uploadPace()).isEqualTo(UploadPace.DEFAULTS);
    }

    @Test
    void anAgencysBodyTrickledSlowerThanThePaceIsRefusedAuditedAndItsThreadFreed() throws Exception {
        pacing.pace(new UploadPace(Duration.ofSeconds(1), 10_000, Duration.ofHours(1), Duration.ofMinutes(1)));
        byte[] envelope = envelope();
        BusProbe probe = new BusProbe(jdbc, json).mark();
        int before = RequestsInProgress.from(context, ADDRESS);
        try (LogCapture logs = LogCapture.start(); SSLSocket socket = agencySocket()) {
            long start = System.nanoTime();
            Thread trickler = trickle(socket, "POST /api/v1/referrals HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/pkcs7-mime\r\n"
                    + "Content-Length: " + envelope.length + "\r\n\r\n", envelope);

            String answer = answer(socket);
            trickler.interrupt();

            assertThat(answer).startsWith("HTTP/1.1 408").contains("Content-Type: application/problem+json",
                    "\"code\":\"upload_incomplete\"", "send the same file again").doesNotContain("Exception", "Tomcat");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("grace 1 s, and 16 KB under way at 10 000 B/s")
                    .isLessThan(Duration.ofSeconds(10));
            await("the request thread free").atMost(Duration.ofSeconds(10)).until(() -> RequestsInProgress.from(context, ADDRESS) == before);
            probe.assertRejectedAndNothingDelivered("upload_incomplete");
            List<String> lines = logs.lines("Upload of " + AGENCY + " incomplete");
            assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                    .contains("it arrived slower than 10000 bytes a second on average after ").endsWith(" of " + envelope.length + " bytes"));
            assertThat(logs.events()).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR));
        }
    }

    /**
     * Tomcat reads a form's body while parsing parameters, and a read that fails there closes the connection without
     * an answer (its {@code CLOSE_NOW}), as a sign-in that went silent always did: the bus cannot answer it, but counts
     * it into the trail per address ({@link StalledFormBodies}).
     */
    @Test
    void aSignInTrickledLongerThanTheLimitWithoutCertificateIsCutCountedAndItsThreadFreed() throws Exception {
        pacing.pace(new UploadPace(Duration.ofSeconds(20), 100, Duration.ofHours(1), Duration.ofSeconds(2)));
        refusals.flush();
        long auditMark = jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);
        try (LogCapture logs = LogCapture.start(); SSLSocket socket = socket(MutualTlsClient.sslContext(null, null).getSocketFactory()
                .createSocket(ADDRESS, port))) {
            long start = System.nanoTime();
            Thread trickler = trickle(socket, "POST /audit/login HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n", "username=".repeat(22).getBytes(StandardCharsets.US_ASCII));
            await("the sign-in in progress").atMost(Duration.ofSeconds(10)).until(() -> anonymousLimit.inProgress() == 1);

            String answer = answer(socket);
            trickler.interrupt();

            assertThat(answer).as("closed without an answer, as a silent sign-in always was").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the 2 s limit, not the 22 s of the rate").isLessThan(Duration.ofSeconds(10));
            await("the sign-in's thread free").atMost(Duration.ofSeconds(10)).until(() -> anonymousLimit.inProgress() == 0);
            assertThat(logs.lines("A form body from " + ADDRESS + " did not arrive whole: it took longer than the longest an upload may take (PT2S)"))
                    .hasSize(1);
            assertThat(logs.events()).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR));
        }
        refusals.flush();
        assertThat(jdbc.queryForList("SELECT actor || ' ' || detail FROM audit_event WHERE seq > ? AND event_type = 'REJECTED'",
                String.class, auditMark)).containsExactly("address:" + ADDRESS + " upload_incomplete;count=1");
    }

    /** Writes {@code head} at once, then {@code body} one byte (one TLS record) at a time, until the bus closes. */
    private static Thread trickle(SSLSocket socket, String head, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread trickler = new Thread(() -> {
            try {
                for (byte b : body) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(TRICKLE.toMillis());
                }
            } catch (IOException | InterruptedException closed) {
                // the bus answered and closed the connection, or the test ended
            }
        }, "trickler");
        trickler.setDaemon(true);
        trickler.start();
        return trickler;
    }

    private AbstractHttp11Protocol<?> protocol() {
        return (AbstractHttp11Protocol<?>) ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector().getProtocolHandler();
    }

    private SSLSocket agencySocket() throws Exception {
        return socket(MutualTlsClient.sslContext(PemFiles.readCertificate(SampleKeys.certificate("agencies", AGENCY)),
                SampleKeys.privateKey("agencies", AGENCY)).getSocketFactory().createSocket(ADDRESS, port));
    }

    private static SSLSocket socket(java.net.Socket socket) throws IOException {
        socket.setSoTimeout(20_000);
        return (SSLSocket) socket;
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
