package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.support.AuditChainCheck;
import org.referralbus.support.BrokerClients;
import org.referralbus.support.BusProcess;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.ScratchPostgresDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A decline is not lost to a crash. A provider (legal-aid-khujand, INBOX) declines the LEGAL need of each of its
 * referrals, retrying each answer until it holds a 200, while the bus (a JVM of its own, embedded H2 and Artemis) is
 * killed with SIGKILL twice at random moments among the declines and started again. Each decline sends the need on
 * (no other legal provider serves the region: to the coordinator, a QUEUE provider); a kill can fall between the
 * decline's commit and the copy leaving. Afterwards, once no re-routing is due any more, every referral's LEGAL need
 * must be the coordinator's, its copy on the coordinator's queue exactly once and delivered (beside a linked-case
 * notice's, if the linker joined two of the test's people), each delivery declined once with one DECLINED audit row,
 * nothing left in {@code pending_reroute}, and the audit chain intact. The sweep runs every second and takes a
 * re-routing due for 3 s (the defaults, 1 minute each, would only make the test slower). Most re-routings end up
 * finished by the sweep: after each restart the provider's retries are answered in the second before Camel runs,
 * where a decline is recorded but cannot re-route at once (the next sweep takes it); the one that a kill cut off after
 * its commit, which the sweep takes a grace later, is among them (the bus's log says "an earlier attempt failed or
 * was interrupted" for each; the test prints the count). {@code -Dcrash.seed=<seed>} replays a run's schedule.
 */
class DeclineSurvivesKillEndToEndTest {

    private static final int REFERRALS = 24;
    private static final int KILLS = 2;
    private static final String SENDER = "interior-ministry";
    private static final String PROVIDER = "legal-aid-khujand";
    private static final Duration SERVING_AGAIN = Duration.ofMinutes(3);
    private static final Pattern REROUTES_DUE = Pattern.compile("(?m)^referralbus_reroutes_due (\\S+)$");

    /** Kept when the test fails: the bus's log of every start is in {@code bus.log}. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDir;

    private final JsonMapper json = JsonMapper.builder().build();
    /** Delivery id of legal-aid-khujand's copy, by referral id. */
    private final Map<String, String> deliveries = new LinkedHashMap<>();
    private final Map<String, Integer> answers = new java.util.TreeMap<>();
    private volatile int declined;
    /** How many declines were answered at each kill. */
    private final List<Integer> kills = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void everyAnsweredDeclineReachesTheCoordinatorOnceAcrossKillNine() throws Exception {
        survivesKills(List.of(), null);
    }

    /**
     * The same on PostgreSQL (only the bus is killed; the database server keeps running). Not part of every build,
     * for time: {@code mvn -B test -Dtest=DeclineSurvivesKillEndToEndTest -Dcrash.postgres=true}.
     */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    @EnabledIfSystemProperty(named = "crash.postgres", matches = "true")
    void everyAnsweredDeclineReachesTheCoordinatorOnceAcrossKillNineOnPostgres() throws Exception {
        Assumptions.assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create()) {
            survivesKills(List.of(database.busArguments()), database.url());
        }
    }

    /** @param databaseUrl null for the embedded H2 of the data directory */
    private void survivesKills(List<String> databaseArguments, String databaseUrl) throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("decline crash seed: " + seed + "; data directory " + dataDir);
        List<String> arguments = new ArrayList<>(List.of("--referral-bus.intake.rate-limit.enabled=false",
                "--referral-bus.delivery.escalation-check=1s", "--referral-bus.delivery.reroute-grace=3s"));
        arguments.addAll(databaseArguments);
        BusProcess process = BusProcess.on(dataDir, arguments.toArray(String[]::new));
        try (BusProcess bus = process.start()) {
            MutualTlsClient agency = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", SENDER),
                    SampleKeys.key("agencies", SENDER));
            MutualTlsClient provider = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("providers", PROVIDER),
                    SampleKeys.key("providers", PROVIDER));
            submitted(agency);
            inbox(provider);

            CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> killAmongTheDeclines(bus, random));
            for (String deliveryId : deliveries.values()) {
                declineUntilAnswered(provider, deliveryId, killer);
            }
            killer.get();

            MutualTlsClient admin = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("admins", "bus-admin"),
                    SampleKeys.key("admins", "bus-admin"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> reroutesDue(admin) == 0);

            List<String> problems = new ArrayList<>();
            Map<String, List<String>> onCoordinatorQueue = coordinatorQueue(bus);
            problems.addAll(AuditChainCheck.problems(bus));
            bus.stop();
            problems.addAll(databaseRows(databaseUrl == null ? bus.databaseUrl() : databaseUrl, onCoordinatorQueue));
            long finishedBySweep = java.nio.file.Files.readAllLines(dataDir.resolve("bus.log")).stream()
                    .filter(line -> line.contains("an earlier attempt failed or was interrupted")).count();
            System.out.printf("%d declines, killed after %s of them were answered; answers %s; re-routings the sweep finished: %d%n",
                    deliveries.size(), kills, answers, finishedBySweep);
            if (!problems.isEmpty()) {
                fail(problems.size() + " lost or doubled re-routings (seed " + seed + ", kills after " + kills + " declines):\n" + String.join("\n", problems));
            }
        }
    }

    private void submitted(MutualTlsClient agency) throws Exception {
        EnvelopeSealer sealer = SampleKeys.agencySealer(SENDER);
        String example = ReferralExamples.example("interior-ministry-labour-legal-sughd");
        for (int i = 0; i < REFERRALS; i++) {
            String xml = ReferralExamples.withFreshId(example);
            HttpResponse<byte[]> answer = agency.post("/api/v1/referrals",
                    sealer.seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()), "application/pkcs7-mime");
            assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);
            deliveries.put(ReferralExamples.referralId(xml), null);
        }
    }

    private void inbox(MutualTlsClient provider) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode listed = json.readTree(provider.get("/api/v1/inbox").body()).path("deliveries");
            for (JsonNode entry : listed) {
                if (deliveries.containsKey(entry.path("referralId").asString())) {
                    deliveries.put(entry.path("referralId").asString(), entry.path("deliveryId").asString());
                }
            }
            return !deliveries.containsValue(null);
        });
    }

    /**
     * Kill k falls a random 0–250 ms after decline number {@code after[k]} was answered, while the next declines are
     * running (each one re-routes, which takes tens of milliseconds); the bus is started again at once.
     */
    private void killAmongTheDeclines(BusProcess bus, Random random) {
        int[] after = {2 + random.nextInt(REFERRALS / 3), REFERRALS / 2 + random.nextInt(REFERRALS / 3)};
        for (int k = 0; k < KILLS; k++) {
            int answered = after[k];
            await().atMost(SERVING_AGAIN).pollInterval(Duration.ofMillis(5)).until(() -> declined >= answered);
            try {
                Thread.sleep(random.nextInt(250));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            kills.add(declined);
            bus.kill();
            bus.start();
        }
    }

    /** As a provider's clerk or client would: the same answer again until the bus says 200 (a cut connection, a 5xx). */
    private void declineUntilAnswered(MutualTlsClient provider, String deliveryId, CompletableFuture<Void> killer) {
        byte[] decline = "{\"decision\":\"DECLINED\",\"reason\":\"NO_CAPACITY\"}".getBytes(StandardCharsets.UTF_8);
        await().atMost(SERVING_AGAIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (killer.isCompletedExceptionally()) {
                        killer.join();
                    }
                    HttpResponse<byte[]> answer;
                    try {
                        answer = provider.post("/api/v1/inbox/" + deliveryId + "/ack", decline, "application/json");
                    } catch (IOException cut) {
                        answers.merge("no answer", 1, Integer::sum);
                        throw cut;
                    }
                    answers.merge(String.valueOf(answer.statusCode()), 1, Integer::sum);
                    if (answer.statusCode() >= 400 && answer.statusCode() < 500) {
                        throw new AssertionError("decline of " + deliveryId + " refused: " + answer.statusCode() + " "
                                + new String(answer.body(), StandardCharsets.UTF_8));
                    }
                    if (answer.statusCode() != 200) {
                        return false;
                    }
                    declined++;
                    return true;
                });
    }

    private static double reroutesDue(MutualTlsClient admin) throws Exception {
        Matcher due = REROUTES_DUE.matcher(new String(admin.get("/actuator/prometheus").body(), StandardCharsets.UTF_8));
        return due.find() ? Double.parseDouble(due.group(1)) : -1;
    }

    /** The coordinator browses its own queue over the broker's TLS acceptor: its copies' delivery ids, by referral id. */
    private Map<String, List<String>> coordinatorQueue(BusProcess bus) throws Exception {
        Map<String, List<String>> copies = new HashMap<>();
        BrokerClients.browseOwnQueue(bus.brokerPort(), "coordinator",
                message -> copies.computeIfAbsent(message.getStringProperty("referralBusReferralId"), id -> new ArrayList<>())
                        .add(message.getStringProperty("referralBusDeliveryId")));
        return copies;
    }

    /**
     * Read with the bus stopped (H2 locks its file while the bus runs); on PostgreSQL as the server's administrator.
     *
     * <p>Besides the re-routed LEGAL need, the coordinator holds a copy of a referral the linker joined to another
     * referral's case (a linked-case notice, routed with it): the test's people differ by random name tails, and rarely
     * two of them are similar enough to link. So each copy on the coordinator's queue must be one of the coordinator's
     * deliveries recorded for the referral, each delivery exactly once, the LEGAL need's among them, and the others
     * the notices routed to it. (A re-routing that a kill interrupted and the sweep redid is audited REROUTED once per
     * attempt, as every attempt is, its copy still recorded and sent once.)
     */
    private List<String> databaseRows(String databaseUrl, Map<String, List<String>> onCoordinatorQueue) {
        List<String> problems = new ArrayList<>();
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(databaseUrl,
                databaseUrl.startsWith("jdbc:h2:") ? "sa" : "postgres", "", true);
        try {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            Integer due = jdbc.queryForObject("SELECT COUNT(*) FROM pending_reroute", Integer.class);
            if (due != 0) {
                problems.add(due + " re-routings still due: " + jdbc.queryForList("SELECT * FROM pending_reroute"));
            }
            for (Map.Entry<String, String> delivery : deliveries.entrySet()) {
                String referralId = delivery.getKey();
                String state = jdbc.queryForObject("SELECT state FROM delivery WHERE delivery_id = ?", String.class, delivery.getValue());
                Integer declines = jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'DECLINED' AND detail LIKE ?",
                        Integer.class, "delivery:" + delivery.getValue() + "%");
                List<String> legal = jdbc.queryForList("SELECT n.provider_id || ':' || n.state || ':' || d.state FROM referral_need n "
                        + "JOIN delivery d ON d.delivery_id = n.delivery_id WHERE n.referral_id = ? AND n.service = 'LEGAL'",
                        String.class, referralId);
                if (!"DECLINED".equals(state) || declines != 1 || !legal.equals(List.of("coordinator:DELIVERED:DELIVERED"))) {
                    problems.add("referral " + referralId + ": legal-aid's delivery " + state + " with " + declines
                            + " DECLINED audit rows; LEGAL need (provider:need:delivery) " + legal);
                }
                List<String> copies = onCoordinatorQueue.getOrDefault(referralId, List.of()).stream().sorted().toList();
                List<String> recorded = jdbc.queryForList("SELECT delivery_id FROM delivery WHERE referral_id = ? "
                        + "AND provider_id = 'coordinator' ORDER BY delivery_id", String.class, referralId);
                String legalCopy = jdbc.queryForObject("SELECT delivery_id FROM referral_need WHERE referral_id = ? "
                        + "AND service = 'LEGAL'", String.class, referralId);
                Integer notices = jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE referral_id = ? AND event_type = "
                        + "'ROUTED' AND counterpart = 'coordinator' AND detail LIKE 'linked-case-notice%'", Integer.class, referralId);
                if (!copies.equals(recorded) || !copies.contains(legalCopy) || copies.size() != 1 + notices) {
                    problems.add("referral " + referralId + ": copies on deliveries.coordinator " + copies
                            + ", the coordinator's deliveries recorded " + recorded + ", the LEGAL need's " + legalCopy
                            + ", linked-case notices routed " + notices);
                }
            }
        } finally {
            dataSource.destroy();
        }
        return problems;
    }
}
