package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.routing.OpenCases;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code listen}: a QUEUE provider receives its copies over AMQP 1.0 from the broker's acceptor, opens and checks
 * each, writes ID.xml and ID.json, and only then settles the message; a copy it could not write stays on the queue.
 * {@code ack} and {@code close} with {@code --over amqp}: the answer goes over the same mutual-TLS AMQP connection to
 * the provider's own acknowledgement queue, and the bus applies it as over HTTPS.
 */
class ProviderListensOverAmqpEndToEndTest extends RunningBus {

    private static final String PROVIDER = "medical-dushanbe";

    @TempDir
    Path work;

    @Autowired
    JmsTemplate jms;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    OpenCases openCases;

    @Test
    void providersAnswerOverAmqpAcceptCloseAndDeclineAndNobodyAnswersForAnother() throws Exception {
        String referralId = submit();
        String medical = await().atMost(Duration.ofSeconds(30)).until(() -> deliveryFor(referralId, PROVIDER), id -> id != null);
        String shelter = await().atMost(Duration.ofSeconds(30)).until(() -> deliveryFor(referralId, "shelter-dushanbe"), id -> id != null);

        CommandRun accepted = overAmqp("ack", medical, "--accept", "--as", PROVIDER);
        assertThat(accepted.exit()).as(accepted.output()).isZero();
        assertThat(accepted.output()).contains(medical + ": ACCEPTED sent over AMQP to acknowledgements." + PROVIDER);
        await().atMost(Duration.ofSeconds(30)).until(() -> state(medical), "ACCEPTED"::equals);
        int openWhileAccepted = openCasesOf(PROVIDER);

        CommandRun closed = overAmqp("close", medical, "--as", PROVIDER);
        assertThat(closed.exit()).as(closed.output()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> state(medical), "CLOSED"::equals);
        assertThat(openCasesOf(PROVIDER)).as("capacity freed at once").isEqualTo(openWhileAccepted - 1);
        assertThat(CommandRun.at(baseUrl(), "status", referralId).output()).contains("MEDICAL: CLOSED at " + PROVIDER);

        CommandRun foreign = overAmqp("ack", shelter, "--decline", "OTHER", "--as", PROVIDER);
        assertThat(foreign.exit()).as("the broker takes it; the bus refuses it: " + foreign.output()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
                "SELECT detail FROM audit_event WHERE event_type = 'REJECTED' AND actor = ?", String.class, PROVIDER),
                details -> details.contains("not_found;acknowledgement:amqp;delivery:" + shelter));
        assertThat(state(shelter)).as("another provider cannot answer for shelter-dushanbe").isEqualTo("DELIVERED");

        CommandRun declined = overAmqp("ack", shelter, "--decline", "NO_CAPACITY", "--as", "shelter-dushanbe");
        assertThat(declined.exit()).as(declined.output()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> state(shelter), "DECLINED"::equals);
        await("the declined need is re-routed").atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
                "SELECT counterpart FROM audit_event WHERE referral_id = ? AND event_type = 'REROUTED'", String.class, referralId),
                counterparts -> counterparts.contains("coordinator"));
        assertThat(jdbc.queryForObject("SELECT actor FROM audit_event WHERE referral_id = ? AND event_type = 'DECLINED'",
                String.class, referralId)).isEqualTo("shelter-dushanbe");
    }

    @Test
    void aBrokerThatCannotBeReachedIsOneSentenceAndExitThree() {
        CommandRun run = CommandRun.offline("ack", "00000000-0000-0000-0000-000000000000", "--accept", "--over", "amqp",
                "--as", PROVIDER, "--broker", "amqps://localhost:1");
        assertThat(run.exit()).as(run.output()).isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(run.output()).contains("did not take the answer", "send it again").doesNotContain("\tat ");
    }

    /** An INBOX provider has no queue: the broker's no is said as a refusal (exit 1), not as a broker to try again. */
    @Test
    void aProviderWithoutAQueueIsToldSoNotToSendAgain() {
        CommandRun answer = overAmqp("ack", "00000000-0000-0000-0000-000000000000", "--accept", "--as", "legal-aid-khujand");
        assertThat(answer.exit()).as(answer.output()).isEqualTo(ClientCommands.REFUSED);
        assertThat(answer.output()).contains("refused legal-aid-khujand the queue acknowledgements.legal-aid-khujand",
                "answer over HTTPS instead").doesNotContain("AMQ", "send it again", "\tat ");

        CommandRun listened = CommandRun.offline("listen", "--as", "legal-aid-khujand", "--broker", "amqps://localhost:" + BROKER_PORT,
                "--out", work.resolve("nothing").toString(), "--idle-exit", "5");
        assertThat(listened.exit()).as(listened.output()).isEqualTo(ClientCommands.REFUSED);
        assertThat(listened.output()).contains("refused you the queue of your copies", "not a provider on the QUEUE channel")
                .doesNotContain("AMQ", "\tat ");
    }

    @Test
    void aCopyIsWrittenThenSettledAndOneThatCannotBeWrittenStaysOnTheQueue() throws Exception {
        String referralId = submit();
        String deliveryId = await().atMost(Duration.ofSeconds(30)).until(() -> deliveryFor(referralId), id -> id != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> onQueue(referralId) == 1);

        Path notAFolder = Files.writeString(work.resolve("not-a-folder"), "x");
        CommandRun failed = listen(notAFolder.resolve("inbox"));
        assertThat(failed.exit()).as(failed.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(failed.output()).contains("Cannot write", "stays on the queue").doesNotContain("\tat ");
        await("not settled, so the broker kept it").atMost(Duration.ofSeconds(30)).until(() -> onQueue(referralId) == 1);

        Path inbox = work.resolve("inbox");
        CommandRun listened = listen(inbox);

        assertThat(listened.exit()).as(listened.output()).isZero();
        assertThat(listened.output()).contains(deliveryId + ": signed by the bus, written to");
        assertThat(Files.readString(inbox.resolve(deliveryId + ".xml"))).contains(referralId, "MEDICAL");
        assertThat(Files.readString(inbox.resolve(deliveryId + ".json")))
                .contains("\"referralId\" : \"" + referralId + "\"", "\"signedBy\" : \"referral-bus\"");
        assertThat(onQueue(referralId)).as("settled once written").isZero();
        try (var files = Files.list(inbox)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".part"));
        }
    }

    /** A script reads one summary for a copy, however it came: listen writes every member fetch writes, with the same values. */
    @Test
    void listenWritesTheSummaryMembersFetchWritesForTheSameCopy() throws Exception {
        String referralId = submit();
        String deliveryId = await().atMost(Duration.ofSeconds(30)).until(() -> deliveryFor(referralId), id -> id != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> onQueue(referralId) == 1);

        CommandRun listened = listen(work.resolve("listened"));
        CommandRun fetched = CommandRun.at(baseUrl(), "fetch", deliveryId, "--as", PROVIDER, "--out", work.resolve("fetched").toString());

        assertThat(listened.exit()).as(listened.output()).isZero();
        assertThat(fetched.exit()).as(fetched.output()).isZero();
        JsonNode byListen = BusClient.JSON.readTree(Files.readString(work.resolve("listened").resolve(deliveryId + ".json")));
        JsonNode byFetch = BusClient.JSON.readTree(Files.readString(work.resolve("fetched").resolve(deliveryId + ".json")));
        assertThat(byListen.propertyNames()).containsAll(byFetch.propertyNames()).contains("receivedAt");
        for (String member : java.util.List.of("deliveryId", "referralId", "services", "urgency", "signedBy", "contentSha256")) {
            assertThat(byListen.get(member)).as(member).isEqualTo(byFetch.get(member));
        }
        assertThat(Instant.parse(byListen.path("deliveredAt").asString())).as("the delivery's own time, to the millisecond")
                .isEqualTo(Instant.parse(byFetch.path("deliveredAt").asString()).truncatedTo(ChronoUnit.MILLIS));
        assertThat(byListen.path("fetchedAt").asString()).isEqualTo(byListen.path("receivedAt").asString());
    }

    /**
     * Ctrl-C in a real {@code listen} process (SIGINT; the JVM runs its hook): it says how many copies it wrote and that
     * nothing is lost, ends with the shell's 130, and leaves every copy either whole in the folder or on the queue.
     */
    @Test
    void ctrlCStopsListenSayingHowManyWereWrittenAndLosesNothing() throws Exception {
        String referralId = submit();
        String deliveryId = await().atMost(Duration.ofSeconds(30)).until(() -> deliveryFor(referralId), id -> id != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> onQueue(referralId) == 1);
        Path inbox = work.resolve("ctrl-c");

        try (ClientProcess listen = ClientProcess.start(work.resolve("logs"), "listen", "--as", PROVIDER,
                "--broker", "amqps://localhost:" + BROKER_PORT, "--out", inbox.toString())) {
            await("the copy written and settled").atMost(Duration.ofSeconds(60))
                    .until(() -> (Files.exists(inbox.resolve(deliveryId + ".json")) && onQueue(referralId) == 0) || !listen.isAlive());
            assertThat(listen.isAlive()).as(listen.output()).isTrue();
            listen.interrupt();

            assertThat(listen.exitWithin(5)).as(listen.output()).isEqualTo(ClientProcess.ENDED_BY_CTRL_C);
            long written = listen.out().lines().filter(line -> line.contains(": signed by the bus, written to")).count();
            assertThat(written).isPositive();
            assertThat(listen.out()).contains("stopped (Ctrl-C or a stop signal); nothing is lost: a copy not yet settled stays on the queue",
                    written + " copies written to " + inbox).doesNotContain("\tat ");
        }
        try (var files = Files.list(inbox)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".part") || name.startsWith("."));
        }
        assertThat(BusClient.JSON.readTree(Files.readString(inbox.resolve(deliveryId + ".json"))).path("referralId").asString())
                .isEqualTo(referralId);
        assertThat(Files.readString(inbox.resolve(deliveryId + ".xml"))).contains(referralId);
        assertThat(onQueue(referralId)).as("settled once written, not sent again").isZero();
    }

    private CommandRun listen(Path out) {
        return CommandRun.offline("listen", "--as", PROVIDER, "--broker", "amqps://localhost:" + BROKER_PORT, "--out", out.toString(),
                "--idle-exit", "5");
    }

    private int onQueue(String referralId) {
        return jms.browseSelected("deliveries." + PROVIDER, "referralBusReferralId = '" + referralId + "'",
                (session, browser) -> Collections.list(browser.getEnumeration()).size());
    }

    private String submit() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        Path file = Files.writeString(work.resolve("referral.xml"), xml);
        CommandRun submitted = CommandRun.at(baseUrl(), "submit", file.toString());
        assertThat(submitted.exit()).as(submitted.output()).isZero();
        return ReferralExamples.referralId(xml);
    }

    private String deliveryFor(String referralId) {
        return deliveryFor(referralId, PROVIDER);
    }

    private String deliveryFor(String referralId, String provider) {
        Matcher m = Pattern.compile("(\\S+)  referral " + Pattern.quote(referralId))
                .matcher(CommandRun.at(baseUrl(), "inbox", "--as", provider).output());
        return m.find() ? m.group(1) : null;
    }

    private CommandRun overAmqp(String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
        all.addAll(java.util.List.of("--over", "amqp", "--broker", "amqps://localhost:" + BROKER_PORT));
        return CommandRun.at(baseUrl(), all.toArray(String[]::new));
    }

    private String state(String deliveryId) {
        return jdbc.queryForObject("SELECT state FROM delivery WHERE delivery_id = ?", String.class, deliveryId);
    }

    private int openCasesOf(String provider) {
        return openCases.perProviderSince(OffsetDateTime.now().minusDays(1), java.util.List.of(provider)).getOrDefault(provider, 0);
    }
}
