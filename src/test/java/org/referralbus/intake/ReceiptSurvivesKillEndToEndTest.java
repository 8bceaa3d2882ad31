package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.core.Sha256;
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
import org.springframework.jms.core.JmsTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A receipt is a promise (issue 9). One agency submits referrals in turn and retries each envelope until it holds a
 * 202 receipt, while the bus, a JVM of its own on the default embedded H2 and Artemis, is killed with SIGKILL at
 * five random moments under that steady submission and restarted each time, then killed once more straight after the
 * last receipt (the commits made last are the ones a delayed write loses). Meanwhile the same agency puts envelopes on
 * the intake queue, each until the broker accepts it; the bus takes them from there inside a broker transaction that
 * its sends join and a kill can roll back. Afterwards every receipted referral, and every referral the broker
 * accepted, must be known to the bus: its status answers 200 to its sender, its referral, need and delivery rows and
 * its audit events are in the database, each of its three copies is on its provider's queue exactly once and is the
 * copy stored (and audited) for it, and the audit chain verifies.
 *
 * <p>The moments come from a seed that the test prints; {@code -Dcrash.seed=<seed>} replays a run's schedule (the
 * bus's own timing still varies). The processing lease is shortened to 2 s so that a retry of a referral
 * interrupted mid-flow takes it over quickly (the default 30 s would only make the test slower).
 */
class ReceiptSurvivesKillEndToEndTest {

    /** Three keep {@code mvn verify} within its time; {@code -Dcrash.kills=10} for a longer run. */
    private static final int KILLS_AT_RANDOM = Integer.getInteger("crash.kills", 3);
    /** Generous: on a machine shared with other builds one start of the bus has taken 45 s. */
    private static final Duration SERVING_AGAIN = Duration.ofMinutes(3);
    private static final int AT_LEAST_REFERRALS = 60;
    private static final String SENDER = "border-service";
    /** The example's needs go to these three QUEUE providers (no psychosocial provider serves Dushanbe). */
    private static final List<String> PROVIDERS = List.of("shelter-dushanbe", "medical-dushanbe", "coordinator");
    private static final List<String> SERVICES = List.of("MEDICAL", "PSYCHOSOCIAL", "SHELTER");

    /** Kept when the test fails: the bus's log of every start is in {@code bus.log}. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDir;

    private final JsonMapper json = JsonMapper.builder().build();
    private final long origin = System.nanoTime();
    private final List<Long> kills = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, long[]> triedAndReceiptedAt = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> receipts = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Referrals whose envelope the broker accepted on referrals.intake (an agency holds no receipt for these). */
    private final List<String> queued = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> answers = Collections.synchronizedMap(new TreeMap<>());
    /** SHA-256 of each copy found on a provider's queue, by "referral id/provider". */
    private final Map<String, String> queuedCopies = new HashMap<>();

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void everyReceiptedReferralSurvivesKillNineAtRandomMoments() throws Exception {
        // The smallest memory per queue makes each provider's queue page to disk after its first few copies, so the
        // copies checked below cover both kinds of durable send: kept in memory, and written to a page file.
        BusProcess bus = BusProcess.on(dataDir, "--referral-bus.intake.rate-limit.enabled=false",
                "--referral-bus.dedupe.processing-lease=2s", "--referral-bus.broker.memory-per-queue=64KB");
        survivesKills(bus, bus.databaseUrl());
        assertThat(pageFiles()).as("the providers' queues paged to disk").isNotEmpty();
    }

    /**
     * The same on PostgreSQL (only the bus is killed; the database server keeps running). Not part of every build,
     * for time: {@code mvn -B test -Dtest=ReceiptSurvivesKillEndToEndTest -Dcrash.postgres=true}.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    @EnabledIfSystemProperty(named = "crash.postgres", matches = "true")
    void everyReceiptedReferralSurvivesKillNineAtRandomMomentsOnPostgres() throws Exception {
        Assumptions.assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create()) {
            List<String> arguments = new ArrayList<>(List.of("--referral-bus.intake.rate-limit.enabled=false",
                    "--referral-bus.dedupe.processing-lease=2s"));
            arguments.addAll(List.of(database.busArguments()));
            survivesKills(BusProcess.on(dataDir, arguments.toArray(String[]::new)), database.url());
        }
    }

    private void survivesKills(BusProcess process, String databaseUrl) throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("crash schedule seed: " + seed + "; data directory " + dataDir);
        try (BusProcess bus = process.start()) {
            MutualTlsClient agency = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", SENDER),
                    SampleKeys.key("agencies", SENDER));
            CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> killAtRandomMoments(bus, random));
            EnvelopeSealer sealer = SampleKeys.agencySealer(SENDER);
            String example = ReferralExamples.example("border-service-adult-woman-shelter-dushanbe");
            CompletableFuture<Void> queueing = CompletableFuture.runAsync(() -> {
                while (!killer.isDone() || receipts.size() < AT_LEAST_REFERRALS) {
                    String xml = ReferralExamples.withFreshId(example);
                    queueUntilAccepted(bus, ReferralExamples.referralId(xml),
                            sealer.seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()), killer);
                }
            });
            while (!killer.isDone() || receipts.size() < AT_LEAST_REFERRALS) {
                String xml = ReferralExamples.withFreshId(example);
                submitUntilReceipted(agency, ReferralExamples.referralId(xml),
                        sealer.seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()), killer);
            }
            killer.get();
            queueing.get();
            kill(bus);
            bus.start();
            awaitTaken(agency);

            List<String> problems = new ArrayList<>();
            problems.addAll(statusesFor(agency));
            problems.addAll(copiesOnQueues(bus));
            problems.addAll(AuditChainCheck.problems(bus));
            bus.stop();
            problems.addAll(databaseRows(databaseUrl));
            System.out.printf("%d referrals receipted and %d queued across %d kills; answers %s%n", receipts.size(), queued.size(),
                    kills.size(), answers);
            if (!problems.isEmpty()) {
                fail(problems.size() + " broken promises (seed " + seed + ", " + receipts.size() + " receipts, kills at "
                        + kills.stream().map(k -> millis(k) + " ms").toList() + "):\n" + String.join("\n", problems));
            }
        }
    }

    /**
     * Each kill falls at a random moment after the bus, freshly (re)started, has answered one more receipt: the kills
     * land under steady submission, and every uptime lets at least one referral through, however slowly an
     * overloaded machine starts the bus.
     */
    private void killAtRandomMoments(BusProcess bus, Random random) {
        for (int i = 0; i < KILLS_AT_RANDOM; i++) {
            int receiptedSoFar = receipts.size();
            await().atMost(SERVING_AGAIN).pollInterval(Duration.ofMillis(50)).until(() -> receipts.size() > receiptedSoFar);
            try {
                Thread.sleep(300 + random.nextInt(2_200)); // the random moment
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            kill(bus);
            bus.start();
        }
    }

    private void kill(BusProcess bus) {
        bus.kill();
        kills.add(System.nanoTime());
    }

    /** Posts the same envelope until the bus answers 202 (a refused connection, a reset or a 5xx are retried). */
    private void submitUntilReceipted(MutualTlsClient agency, String referralId, byte[] envelope, CompletableFuture<Void> killer) {
        long firstTry = System.nanoTime();
        await().atMost(SERVING_AGAIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (killer.isCompletedExceptionally()) {
                        killer.join(); // the bus did not come back: say why instead of retrying for minutes
                    }
                    HttpResponse<byte[]> answer = agency.post("/api/v1/referrals", envelope, "application/pkcs7-mime");
                    answers.merge(answer.statusCode() == 202 ? "202" : answer.statusCode() + " " + problemCode(answer), 1, Integer::sum);
                    if (answer.statusCode() >= 400 && answer.statusCode() < 500 && answer.statusCode() != 429) {
                        throw new AssertionError("refused " + referralId + ": " + answer.statusCode() + " "
                                + new String(answer.body(), StandardCharsets.UTF_8));
                    }
                    if (answer.statusCode() != 202) {
                        return false;
                    }
                    receipts.put(referralId, new String(answer.body(), StandardCharsets.UTF_8));
                    triedAndReceiptedAt.put(referralId, new long[] {firstTry, System.nanoTime()});
                    return true;
                });
    }

    /**
     * Puts the same envelope on referrals.intake until the broker accepts it, a few a second. A send the broker took
     * before a kill cut its answer is sent again: the same envelope twice, which the bus must take once.
     */
    private void queueUntilAccepted(BusProcess bus, String referralId, byte[] envelope, CompletableFuture<Void> killer) {
        long firstTry = System.nanoTime();
        await().atMost(SERVING_AGAIN).pollDelay(Duration.ofMillis(250)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsMatching(e -> e instanceof org.springframework.jms.JmsException)
                .until(() -> {
                    if (killer.isCompletedExceptionally()) {
                        killer.join();
                    }
                    try (ActiveMQConnectionFactory broker = BrokerClients.as(bus.brokerPort(), "agencies", SENDER)) {
                        new JmsTemplate(broker).send("referrals.intake", session -> {
                            var message = session.createBytesMessage();
                            message.writeBytes(envelope);
                            return message;
                        });
                    }
                    return true;
                });
        queued.add(referralId);
        triedAndReceiptedAt.put(referralId, new long[] {firstTry, System.nanoTime()});
    }

    /** Every envelope the broker accepted has been taken from the queue: its referral is known to its sender. */
    private void awaitTaken(MutualTlsClient agency) {
        for (String referralId : List.copyOf(queued)) {
            await().atMost(SERVING_AGAIN).pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> agency.get("/api/v1/referrals/" + referralId + "/status").statusCode() == 200);
        }
    }

    /** The referrals the bus owes: those it receipted over HTTPS, then those the broker accepted on its intake queue. */
    private List<String> owed() {
        List<String> owed = new ArrayList<>(receipts.keySet());
        owed.addAll(queued);
        return owed;
    }

    private String problemCode(HttpResponse<byte[]> answer) {
        try {
            return json.readTree(answer.body()).path("code").asString();
        } catch (RuntimeException e) {
            return "(no problem details)";
        }
    }

    private List<String> statusesFor(MutualTlsClient agency) throws Exception {
        List<String> problems = new ArrayList<>();
        for (String referralId : owed()) {
            int status = agency.get("/api/v1/referrals/" + referralId + "/status").statusCode();
            if (status != 200) {
                problems.add(describe(referralId) + ": status answers " + status + " to its sender");
            }
        }
        return problems;
    }

    /** The broker's page files under the data folder (Artemis pages each address into a folder of its own). */
    private List<Path> pageFiles() throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dataDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".page")).toList();
        }
    }

    /** Each provider browses its own queue over the broker's TLS acceptor, with its certificate, as it would. */
    private List<String> copiesOnQueues(BusProcess bus) throws Exception {
        List<String> problems = new ArrayList<>();
        for (String provider : PROVIDERS) {
            Map<String, Integer> copies = new HashMap<>();
            BrokerClients.browseOwnQueue(bus.brokerPort(), provider, message -> {
                String referralId = message.getStringProperty("referralBusReferralId");
                copies.merge(referralId, 1, Integer::sum);
                queuedCopies.put(referralId + "/" + provider, Sha256.hex(message.getBody(byte[].class)));
            });
            for (String referralId : owed()) {
                int count = copies.getOrDefault(referralId, 0);
                if (count != 1) {
                    problems.add(describe(referralId) + ": " + count + " copies on deliveries." + provider);
                }
            }
            copies.keySet().removeAll(owed());
            if (!copies.isEmpty()) {
                problems.add("deliveries." + provider + " holds copies of referrals never receipted or queued: " + copies);
            }
        }
        return problems;
    }

    /** Read with the bus stopped (H2 locks its file while the bus runs). */
    private List<String> databaseRows(String databaseUrl) {
        List<String> problems = new ArrayList<>();
        boolean h2 = databaseUrl.startsWith("jdbc:h2:");
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(databaseUrl, h2 ? "sa" : "postgres", "", true);
        try {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            Map<String, Map<String, Object>> referrals = new HashMap<>();
            jdbc.queryForList("SELECT referral_id, state, receipt_json FROM referral WHERE sender = ?", SENDER)
                    .forEach(row -> referrals.put((String) row.get("REFERRAL_ID"), row));
            Map<String, List<String>> deliveries = grouped(jdbc, "SELECT referral_id, provider_id || ':' || state FROM delivery");
            Map<String, String> stored = new HashMap<>();
            jdbc.query("SELECT referral_id, provider_id, envelope_sha256 FROM delivery",
                    rs -> { stored.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3)); });
            Map<String, List<String>> needs = grouped(jdbc, "SELECT referral_id, service || ':' || state FROM referral_need");
            Map<String, List<String>> events = grouped(jdbc, "SELECT referral_id, event_type || ':' || COALESCE(counterpart, '') "
                    + "FROM audit_event WHERE referral_id IS NOT NULL");
            for (String referralId : owed()) {
                String who = describe(referralId);
                Map<String, Object> row = referrals.get(referralId);
                // From the queue no receipt was answered: the stored one must exist.
                String answered = receipts.get(referralId);
                if (row == null) {
                    problems.add(who + ": no referral row");
                } else if (!"ROUTED".equals(row.get("STATE")) || row.get("RECEIPT_JSON") == null
                        || answered != null && !answered.equals(row.get("RECEIPT_JSON"))) {
                    problems.add(who + ": referral row " + row.get("STATE") + " with another receipt than the one answered");
                }
                for (String provider : PROVIDERS) {
                    String queued = queuedCopies.get(referralId + "/" + provider);
                    if (queued != null && !queued.equals(stored.get(referralId + "/" + provider))) {
                        problems.add(who + ": the copy on deliveries." + provider + " is not the copy stored and audited");
                    }
                }
                List<String> copies = sorted(deliveries.get(referralId));
                if (!copies.equals(PROVIDERS.stream().map(p -> p + ":DELIVERED").sorted().toList())) {
                    problems.add(who + ": delivery rows " + copies);
                }
                List<String> needRows = sorted(needs.get(referralId));
                if (!needRows.equals(SERVICES.stream().map(s -> s + ":DELIVERED").toList())) {
                    problems.add(who + ": need rows " + needRows);
                }
                List<String> trail = events.getOrDefault(referralId, List.of());
                List<String> delivered = sorted(trail.stream().filter(e -> e.startsWith("DELIVERED:")).toList());
                if (!trail.contains("VALIDATED:") || PROVIDERS.stream().anyMatch(p -> !trail.contains("ROUTED:" + p))
                        || !delivered.equals(PROVIDERS.stream().map(p -> "DELIVERED:" + p).sorted().toList())) {
                    problems.add(who + ": audit events " + sorted(trail));
                }
            }
        } finally {
            dataSource.destroy();
        }
        return problems;
    }

    private static Map<String, List<String>> grouped(JdbcTemplate jdbc, String sql) {
        Map<String, List<String>> byReferral = new HashMap<>();
        jdbc.query(sql, rs -> {
            byReferral.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        });
        return byReferral;
    }

    private static List<String> sorted(List<String> values) {
        return values == null ? List.of() : values.stream().sorted().toList();
    }

    /**
     * "referral id (#n, interrupted by kill k, receipted t ms before kill k+1)": losses of a delayed write cluster just
     * before kills, gaps between two commits in referrals that a kill interrupted.
     */
    private String describe(String referralId) {
        int position = owed().indexOf(referralId) + 1;
        long[] times = triedAndReceiptedAt.get(referralId);
        List<Long> killTimes = List.copyOf(kills);
        StringBuilder text = new StringBuilder("referral " + referralId + " (#" + position);
        for (int k = 0; k < killTimes.size(); k++) {
            if (killTimes.get(k) > times[0] && killTimes.get(k) < times[1]) {
                text.append(", interrupted by kill ").append(k + 1);
            }
            if (killTimes.get(k) > times[1]) {
                text.append(", receipted ").append((killTimes.get(k) - times[1]) / 1_000_000).append(" ms before kill ").append(k + 1);
                break;
            }
        }
        return text.append(')').toString();
    }

    private long millis(long nanoTime) {
        return (nanoTime - origin) / 1_000_000;
    }
}
