package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.support.BusProcess;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * SIGTERM in the middle of submissions (the bus a JVM of its own, as under a service manager): the bus finishes what
 * it holds within its bound and exits; clients cut off retry and, after the restart, get their receipts. Then every
 * receipted referral is complete, with its three copies delivered once each, and no referral is left half-processed.
 */
class GracefulShutdownEndToEndTest {

    private static final String SENDER = "border-service";
    private static final List<String> PROVIDERS = List.of("coordinator", "medical-dushanbe", "shelter-dushanbe");
    private static final int SUBMITTERS = 3;
    /** spring.lifecycle.timeout-per-shutdown-phase (20 s) for the web server, Camel's 15 s, the rest; generous on a shared machine. */
    private static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(90);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDir;

    private final Map<String, String> receipts = new ConcurrentHashMap<>();
    /** Where the test is (running, stopping, restarting, …): said with any answer the clients should not get. */
    private volatile String stage = "first run";

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void sigtermDuringSubmissionsLeavesEveryReceiptedReferralCompleteAndNothingHalfDone() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(SUBMITTERS);
        AtomicBoolean running = new AtomicBoolean(true);
        try (BusProcess bus = BusProcess.on(dataDir, "--referral-bus.intake.rate-limit.enabled=false",
                "--referral-bus.dedupe.processing-lease=2s", "--referral-bus.metrics.queue-depth-interval=1s",
                // Tomcat says why it refused a request (a 400 seen once during SIGTERM: see tomcatsWords)
                "--logging.level.org.apache.coyote.http11.Http11Processor=DEBUG",
                // a slip an operator makes, in a harmless name: warned about once the bus is ready (LibrarySettingsCheck)
                "--spring.artemis.embedded.persistant=true").start()) {
            MutualTlsClient agency = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", SENDER),
                    SampleKeys.key("agencies", SENDER));
            List<Future<?>> submitters = new ArrayList<>();
            for (int i = 0; i < SUBMITTERS; i++) {
                submitters.add(clients.submit(() -> submitUntilStopped(agency, running)));
            }
            await().atMost(Duration.ofMinutes(3)).until(() -> receipts.size() >= 10);
            assertThat(warningsOfTheFirstStart()).as("a normal start warns only as operators.md, \"Warnings at start\", says")
                    .allSatisfy(line -> assertThat(line).containsAnyOf(EXPECTED_START_WARNINGS));
            assertThat(Files.readAllLines(dataDir.resolve("bus.log"), StandardCharsets.UTF_8))
                    .as("of the library settings given (BusProcess's and the ones above), only the misspelt one is warned about")
                    .filteredOn(line -> line.contains("is not a setting of the bus or of the libraries it runs on"))
                    .singleElement().asString().contains(" WARN ").contains("spring.artemis.embedded.persistant (the command line)")
                    .contains("did you mean spring.artemis.embedded.persistent?");

            long termAt = System.nanoTime();
            stage = "SIGTERM sent";
            bus.stop();
            long exitMillis = (System.nanoTime() - termAt) / 1_000_000;
            System.out.printf("SIGTERM after %d receipts: the bus exited after %d ms%n", receipts.size(), exitMillis);
            assertThat(Duration.ofMillis(exitMillis)).isLessThan(SHUTDOWN_BOUND);
            assertThat(Files.readString(dataDir.resolve("bus.log"))).contains("Graceful shutdown complete");

            int beforeRestart = receipts.size();
            stage = "restarting";
            bus.start();
            stage = "restarted";
            await().atMost(Duration.ofMinutes(3)).until(() -> receipts.size() >= beforeRestart + 5);
            running.set(false);
            for (Future<?> submitter : submitters) {
                submitter.get(3, TimeUnit.MINUTES);
            }

            List<String> problems = new ArrayList<>(copiesOnQueues(bus));
            bus.stop();
            problems.addAll(databaseRows(bus.databaseUrl()));
            assertThat(problems).as(receipts.size() + " receipted referrals").isEmpty();
        } finally {
            running.set(false);
            clients.shutdownNow();
        }
    }

    /** What a normal start may warn about (operators.md, "Warnings at start"): anything else is news to an operator. */
    private static final String[] EXPECTED_START_WARNINGS = {
            "does not support post handshake authentication (PHA)",
            "which is newer than the version Flyway has been verified with"};

    /** The WARN and ERROR lines the bus logged from its first start until it was started. */
    private List<String> warningsOfTheFirstStart() throws IOException {
        List<String> warnings = new ArrayList<>();
        for (String line : Files.readAllLines(dataDir.resolve("bus.log"), StandardCharsets.UTF_8)) {
            if (line.contains("Started ReferralBusApplication")) {
                return warnings;
            }
            if (line.contains(" WARN ") || line.contains(" ERROR ")) {
                warnings.add(line);
            }
        }
        throw new AssertionError("the first start did not log Started ReferralBusApplication");
    }

    /** One client: each envelope is posted again until it holds a receipt; a new one only then, until told to stop. */
    private void submitUntilStopped(MutualTlsClient agency, AtomicBoolean running) {
        EnvelopeSealer sealer = SampleKeys.agencySealer(SENDER);
        String example = ReferralExamples.example("border-service-adult-woman-shelter-dushanbe");
        while (running.get()) {
            String xml = ReferralExamples.withFreshId(example);
            String referralId = ReferralExamples.referralId(xml);
            byte[] envelope = sealer.seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
            await().atMost(Duration.ofMinutes(4)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                        var answer = agency.post("/api/v1/referrals", envelope, "application/pkcs7-mime");
                        assertThat(answer.statusCode()).as(() -> String.format("only retryable answers (%s, referral %s): %s %s%n%s",
                                        stage, referralId, answer.headers().map(), new String(answer.body(), StandardCharsets.UTF_8),
                                        tomcatsWords()))
                                .isIn(202, 500, 503);
                        if (answer.statusCode() == 202) {
                            receipts.put(referralId, new String(answer.body(), StandardCharsets.UTF_8));
                            return true;
                        }
                        return false;
                    });
        }
    }

    /**
     * What Tomcat logged about the requests it refused or cut (at DEBUG for this test), for a failure's message:
     * Tomcat's own HTML 400 was answered once to a submission during SIGTERM, and its body does not say why.
     */
    private String tomcatsWords() {
        try {
            return Files.readAllLines(dataDir.resolve("bus.log")).stream()
                    .filter(line -> line.contains("o.a.c.h") || line.contains("org.apache.coyote") || line.contains("Http11"))
                    .reduce((a, b) -> a + System.lineSeparator() + b).orElse("(Tomcat logged nothing)");
        } catch (IOException e) {
            return "(bus.log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Through the bus's own metrics (admin certificate): each provider's queue holds exactly as many copies as there
     * are receipts, and the database (below) shows one delivered copy per referral and provider, so none is missing or
     * doubled.
     */
    private List<String> copiesOnQueues(BusProcess bus) {
        MutualTlsClient admin = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("admins", "bus-admin"),
                SampleKeys.key("admins", "bus-admin"));
        List<String> problems = new ArrayList<>();
        for (String provider : PROVIDERS) {
            Pattern depth = Pattern.compile("(?m)^referralbus_queue_depth\\{queue=\"deliveries\\." + Pattern.quote(provider) + "\"\\} (\\S+)$");
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Matcher line = depth.matcher(new String(admin.get("/actuator/prometheus").body(), StandardCharsets.UTF_8));
                    assertThat(line.find()).isTrue();
                    assertThat(Double.parseDouble(line.group(1))).isEqualTo(receipts.size());
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                problems.add("deliveries." + provider + ": not " + receipts.size() + " copies (" + e.getMessage() + ")");
            }
        }
        return problems;
    }

    /** Read with the bus stopped (H2 locks its file while the bus runs). */
    private List<String> databaseRows(String databaseUrl) {
        List<String> problems = new ArrayList<>();
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(databaseUrl, "sa", "", true);
        try {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.queryForList("SELECT referral_id, state FROM referral").forEach(row -> {
                if (!"ROUTED".equals(row.get("STATE"))) {
                    problems.add(row.get("REFERRAL_ID") + ": half-processed, state " + row.get("STATE"));
                }
            });
            Set<String> known = Set.copyOf(jdbc.queryForList("SELECT referral_id FROM referral WHERE state = 'ROUTED'", String.class));
            for (Map.Entry<String, String> receipt : receipts.entrySet()) {
                String referralId = receipt.getKey();
                if (!known.contains(referralId)) {
                    problems.add(referralId + ": receipted but not ROUTED");
                    continue;
                }
                List<String> deliveries = jdbc.queryForList("SELECT provider_id || ':' || state FROM delivery WHERE referral_id = ? "
                        + "ORDER BY provider_id", String.class, referralId);
                if (!deliveries.equals(PROVIDERS.stream().map(p -> p + ":DELIVERED").toList())) {
                    problems.add(referralId + ": delivery rows " + deliveries);
                }
                List<String> needs = jdbc.queryForList("SELECT state FROM referral_need WHERE referral_id = ?", String.class, referralId);
                if (needs.size() != 3 || needs.stream().anyMatch(s -> !s.equals("DELIVERED"))) {
                    problems.add(referralId + ": need rows " + needs);
                }
            }
        } finally {
            dataSource.destroy();
        }
        return problems;
    }
}
