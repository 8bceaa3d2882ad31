package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.referralbus.audit.RefusalTally;
import org.referralbus.envelope.PemFiles;
import org.referralbus.intake.IntakeProperties;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.SocketAnswer;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.TestPki;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Clients without a client certificate (the console's auditors, and anyone who can reach the port) cannot take the
 * request threads agencies need. Reproduced on the bus as it was (2026-12-05, 64 threads): as many slow anonymous
 * requests as there are threads, either sign-ins that trickle their form from eight addresses or uploads refused
 * {@code 401} whose body Tomcat then drained, held every thread, and an agency's request got no answer in 5 s
 * (each held thread was free again only after the upload timeout, 2 minutes of silence). Now at most
 * {@code referral-bus.intake.anonymous-limit.max-concurrent} of them are in progress, the next is refused at once with
 * {@code 503 anonymous_limited}, and a body refused to a client without a certificate is not drained.
 *
 * <p>A certificate of the deployment CA that is not admitted (revoked, for a participant no registry lists, on a key
 * the registry does not list, naming no participant) counts as none. Reproduced on the bus as it was (2026-12-05): the
 * cap looked only at whether a certificate was shown, so 64 such sign-ins or refused uploads held every thread just
 * the same, and the agency got no answer in 5 s.
 */
class AnonymousRequestsEndToEndTest extends RunningBus {

    /** Far shorter than the upload timeout (2 min) a held thread waits for; long enough for a loaded CI machine. */
    private static final int ANSWER_WITHIN_MILLIS = 5_000;
    private static final int ADDRESSES = 8;
    /** Appended to what a socket read when the bus closed the connection. */
    private static final String EOF = "<eof>";

    @Autowired
    ServletWebServerApplicationContext context;
    @Autowired
    IntakeProperties intake;
    @Autowired
    AnonymousRequestLimit anonymousLimit;
    @Autowired
    RefusalTally refusals;
    @Autowired
    JdbcTemplate jdbc;

    /** Who sends the slow requests: a client with no certificate, or with one of the CA's that is not admitted. */
    enum Stranger { WITHOUT_CERTIFICATE, WITH_A_CERTIFICATE_NOT_ADMITTED }

    /** A certificate the TLS layer accepts (the sample CA's, within its dates) and the bus does not admit. */
    private record NotAdmitted(TestPki.Identity identity, String refusalCode) {
    }

    /** A former NGO clerk's certificate on a stolen laptop: the sample ngo-hotline one, revoked while the test runs. */
    private static final TestPki.Identity REVOKED = new TestPki.Identity("ngo-hotline", ParticipantRole.AGENCY,
            SampleKeys.privateKey("agencies", "ngo-hotline"), SampleKeys.certificateOf("agencies", "ngo-hotline"));
    private static final List<NotAdmitted> NOT_ADMITTED = List.of(
            new NotAdmitted(REVOKED, "unauthenticated"),
            new NotAdmitted(TestPki.sample().identity("former-ngo", ParticipantRole.AGENCY, TestPki.KeyType.EC_P256),
                    "participant_not_registered"),
            new NotAdmitted(TestPki.sample().identity("border-service", ParticipantRole.AGENCY, TestPki.KeyType.EC_P256),
                    "participant_key_mismatch"),
            new NotAdmitted(TestPki.sample().custom(TestPki.participantName("volunteer", "someone"), List.of()),
                    "certificate_malformed"));

    @BeforeEach
    void revokeTheStolenCertificate() {
        TestPki.writePem(CRL_FILE, TestPki.sample().crl(List.of(REVOKED.certificate())));
    }

    @AfterEach
    void unrevokeEveryone() {
        TestPki.writePem(CRL_FILE, TestPki.sample().crl(List.of()));
    }

    @ParameterizedTest
    @EnumSource(Stranger.class)
    void slowSignInsFromManyAddressesLeaveAnAgencyItsThread(Stranger stranger) throws Exception {
        int threads = protocol().getMaxThreads();
        int cap = intake.anonymousLimit().maxConcurrent();
        refusals.flush();
        long auditMark = jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);
        List<SSLSocket> signIns = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                SSLSocket socket = strangerSocket(stranger, i);
                send(socket, "POST /audit/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 200\r\n\r\nusername=");
                signIns.add(socket);
            }
            await("the cap filled by sign-ins").atMost(Duration.ofSeconds(15)).until(() -> anonymousLimit.inProgress() == cap);

            assertThat(agencyStatusLine()).as("an agency's request while anonymous sign-ins trickle").startsWith("HTTP/1.1 200");
            assertThat(anonymousStatusLine("GET /actuator/health/liveness")).as("a load balancer's probe, without a certificate,"
                    + " while the cap is full").startsWith("HTTP/1.1 200");

            List<String> answers = answersOrNothing(signIns);
            assertThat(answers.stream().filter(String::isEmpty)).as("sign-ins still reading their form").hasSize(cap);
            assertThat(answers.stream().filter(answer -> !answer.isEmpty())).hasSize(threads - cap).allSatisfy(answer ->
                    assertThat(answer).startsWith("HTTP/1.1 503").contains("Content-Type: application/problem+json",
                            "Retry-After: 1", "Connection: close", "\"code\":\"anonymous_limited\""));
        } finally {
            for (SSLSocket socket : signIns) {
                socket.close();
            }
        }
        refusals.flush();
        List<String> rows = jdbc.queryForList("SELECT actor || ' ' || detail FROM audit_event WHERE seq > ? AND event_type = 'REJECTED' "
                + "AND detail LIKE 'anonymous_limited;%'", String.class, auditMark);
        assertThat(rows).as("counted per address").allMatch(row -> row.matches("address:127\\.0\\.0\\.\\d anonymous_limited;count=\\d+"));
        assertThat(rows.stream().mapToInt(row -> Integer.parseInt(row.substring(row.indexOf("count=") + 6))).sum()).isEqualTo(threads - cap);
    }

    @ParameterizedTest
    @EnumSource(Stranger.class)
    void aBodyRefusedToAStrangerIsNotDrained(Stranger stranger) throws Exception {
        int threads = protocol().getMaxThreads();
        List<SSLSocket> uploads = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                SSLSocket socket = strangerSocket(stranger, i); // under the per-address limit, which would answer 429
                send(socket, "POST /api/v1/referrals HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/pkcs7-mime\r\n"
                        + "Content-Length: 1000000\r\n\r\n" + "0".repeat(1000));
                uploads.add(socket);
            }

            assertThat(agencyStatusLine()).as("an agency's request after refused anonymous uploads").startsWith("HTTP/1.1 200");

            List<String> answers = answersOrNothing(uploads);
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i)).as("answered, and the connection closed rather than drained").startsWith("HTTP/1.1 401")
                        .contains("Content-Type: application/problem+json", "\"code\":\"" + refusalCode(stranger, i) + "\"")
                        .endsWith(EOF);
            }
        } finally {
            for (SSLSocket socket : uploads) {
                socket.close();
            }
        }
    }

    /** One of {@link #ADDRESSES} loopback addresses (all of 127/8 is the loopback on Linux), as many clients would be. */
    private static String address(int client) {
        return "127.0.0." + (2 + client % ADDRESSES);
    }

    @BeforeEach
    void loopbackAliasesAnswer() throws IOException {
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(address(0), 0));
        } catch (BindException e) {
            assumeTrue(false, "this system's loopback has only 127.0.0.1 (macOS): the test needs " + address(0));
        }
    }

    private AbstractHttp11Protocol<?> protocol() {
        return (AbstractHttp11Protocol<?>) ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector().getProtocolHandler();
    }

    /** Client {@code i} of {@code stranger}'s kind, from {@link #address}; the certificates not admitted taken in turn. */
    private SSLSocket strangerSocket(Stranger stranger, int i) throws IOException {
        if (stranger == Stranger.WITHOUT_CERTIFICATE) {
            return anonymousSocket(address(i));
        }
        TestPki.Identity identity = NOT_ADMITTED.get(i % NOT_ADMITTED.size()).identity();
        return socket(MutualTlsClient.sslContext(identity.certificate(), identity.key()), address(i));
    }

    private static String refusalCode(Stranger stranger, int i) {
        return stranger == Stranger.WITHOUT_CERTIFICATE ? "unauthenticated" : NOT_ADMITTED.get(i % NOT_ADMITTED.size()).refusalCode();
    }

    private SSLSocket anonymousSocket(String from) throws IOException {
        return socket(MutualTlsClient.sslContext(null, null), from);
    }

    private SSLSocket socket(SSLContext context, String from) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), port,
                InetAddress.getByName(from), 0);
        socket.setSoTimeout(ANSWER_WITHIN_MILLIS);
        socket.startHandshake();
        return socket;
    }

    /** The status line of a registered agency's GET, which must come within {@link #ANSWER_WITHIN_MILLIS}. */
    private String agencyStatusLine() throws Exception {
        try (SSLSocket socket = (SSLSocket) MutualTlsClient.sslContext(PemFiles.readCertificate(SampleKeys.certificate("agencies", "border-service")),
                SampleKeys.privateKey("agencies", "border-service")).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(ANSWER_WITHIN_MILLIS);
            long start = System.nanoTime();
            send(socket, "GET /api/v1/bus/certificate HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            String answer = answerOrNothing(socket);
            System.out.printf("agency answered after %d ms: %s%n", (System.nanoTime() - start) / 1_000_000,
                    answer.isEmpty() ? "(nothing)" : answer.lines().findFirst().orElseThrow());
            return answer;
        }
    }

    /** The answer to a request without a body from a client without a certificate, which must come within the timeout. */
    private String anonymousStatusLine(String requestLine) throws IOException {
        try (SSLSocket socket = anonymousSocket("127.0.0.1")) {
            send(socket, requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            return answerOrNothing(socket);
        }
    }

    private static void send(SSLSocket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** {@link #answerOrNothing} of each socket, read side by side: a held one costs the timeout once, not each. */
    private static List<String> answersOrNothing(List<SSLSocket> sockets) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(sockets.size());
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (SSLSocket socket : sockets) {
                answers.add(readers.submit(() -> answerOrNothing(socket)));
            }
            List<String> texts = new ArrayList<>();
            for (Future<String> answer : answers) {
                texts.add(answer.get());
            }
            return texts;
        } finally {
            readers.shutdownNow();
        }
    }

    /**
     * What the bus sends within the socket's timeout: empty if nothing came, ending in {@link #EOF} if the bus closed
     * the connection.
     */
    private static String answerOrNothing(SSLSocket socket) throws IOException {
        SocketAnswer answer = SocketAnswer.read(socket);
        return answer.closed() ? answer.text() + EOF : answer.text();
    }
}
