package org.referralbus.system;

import static org.referralbus.support.LocalMachine.onPath;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.AmqpFailoverConsumer;
import org.referralbus.support.ArtemisPair;
import org.referralbus.support.BusProcess;
import org.referralbus.support.CrashEndState;
import org.referralbus.support.ScratchPostgresDatabase;
import org.referralbus.support.StandaloneArtemis;
import org.referralbus.support.SteadySubmitter;

/**
 * Crash tests on the production engines (issue 14): two bus nodes, each a JVM of its own, share a PostgreSQL
 * database of this test's own and a replicating live/backup pair of the standalone Artemis 2.40.0, which they reach
 * with the bus's certificate. An agency submits at a steady pace and retries each envelope, on the other node, until
 * it holds a receipt, while (a) the nodes are killed with SIGKILL at random moments and restarted, (c) PostgreSQL
 * itself is restarted, and last (b) the live broker is killed with SIGKILL: the backup takes over, and the nodes and a
 * provider's AMQP consumer (rhea) move to it. After each, {@link CrashEndState} holds: every receipted referral was
 * delivered exactly once to each provider chosen for it, nothing twice, nothing half-processed, and
 * {@code audit verify} passes. Recovery times are printed ("crash (a)", "crash (b)", "crash (c)" lines in the test's
 * output) and summarised in docs/operators.md.
 *
 * <p>Not the {@code prod} profile itself: it refuses the sample PKI that the clients here use, and keys are not what
 * is under test; the engines are the prod ones. {@code -Dcrash.seed=<seed>} replays a run's kill schedule.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCrashEndToEndTest {

    private static final int NODES = 2;
    /** Each kill costs a node start-up (15–30 s on 2 cores); {@code -Dcrash.kills=<n>} for a longer run. */
    private static final int KILLS_AT_RANDOM = Integer.getInteger("crash.kills", 3);
    private static final Duration PACE = Duration.ofMillis(200);
    private static final Duration PROGRESS = Duration.ofMinutes(2);
    private static final String CONSUMING_PROVIDER = "shelter-dushanbe";

    /** Kept when a test fails: each node's log of every start is in {@code node-<n>/bus.log}, the broker's in {@code broker/}. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;
    static ScratchPostgresDatabase database;
    static ArtemisPair pair;
    static final List<BusProcess> nodes = new ArrayList<>();
    static final Set<String> everReceipted = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432 (the CI starts it)");
        database = ScratchPostgresDatabase.create();
        pair = ArtemisPair.start(Files.createDirectories(work.resolve("broker")));
        List<String> arguments = new ArrayList<>(List.of("--spring.artemis.mode=native", "--spring.artemis.embedded.enabled=false",
                "--spring.artemis.broker-url=" + pair.busBrokerUrl(work.resolve("bus-broker.pemcfg")),
                "--referral-bus.intake.rate-limit.enabled=false",
                // A retry of a referral whose node died mid-flow takes it over after this (the default 30 s only slows the test).
                "--referral-bus.dedupe.processing-lease=2s"));
        arguments.addAll(List.of(database.busArguments()));
        for (int n = 1; n <= NODES; n++) {
            nodes.add(BusProcess.on(Files.createDirectories(work.resolve("node-" + n)), arguments.toArray(String[]::new)));
        }
        // Side by side: much of a start-up is waiting (Flyway's lock, the broker, TLS), so two at once beat two in turn.
        nodes.parallelStream().forEach(BusProcess::start);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        nodes.forEach(BusProcess::close);
        if (pair != null) {
            pair.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyReceiptedReferralIsDeliveredOnceWhileNodesAreKilledAtRandom() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> kills = new ArrayList<>();
        try (SteadySubmitter client = SteadySubmitter.start(baseUrls(), PACE)) {
            client.awaitMoreReceipts(5, PROGRESS);
            for (int k = 0; k < KILLS_AT_RANDOM; k++) {
                Thread.sleep(300 + random.nextInt(2_000)); // the random moment, under steady submission
                int victim = random.nextInt(NODES);
                long killedAt = System.nanoTime();
                nodes.get(victim).kill();
                nodes.get(victim).start();
                long restartedAt = System.nanoTime();
                client.awaitMoreReceipts(3, PROGRESS); // the restarted node serves before the next kill
                kills.add("node-" + (victim + 1) + ": next receipt after " + millis(client.firstReceiptAfter(killedAt) - killedAt)
                        + " ms, node serving again after " + millis(restartedAt - killedAt) + " ms");
            }
            client.stop();
            report("crash (a)", "seed " + seed + ", " + KILLS_AT_RANDOM + " kills " + kills, client);
            assertEndState(client.receipts(), new CrashEndState(database.url(), pair.primary().port()));
        }
    }

    @Test
    @Order(2)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyReceiptedReferralIsDeliveredOnceAcrossAPostgresRestart() throws Exception {
        try (SteadySubmitter client = SteadySubmitter.start(baseUrls(), PACE)) {
            client.awaitMoreReceipts(5, PROGRESS);
            long restartAt = System.nanoTime();
            String refusal = restartPostgres();
            if (refusal != null) {
                client.stop();
                abort("PostgreSQL could not be restarted here (" + refusal + "); run as root or postgres to include (c)");
            }
            long restartedAt = System.nanoTime();
            client.awaitMoreReceipts(10, PROGRESS);
            client.stop();
            report("crash (c)", "restart took " + millis(restartedAt - restartAt) + " ms, next receipt "
                    + millis(client.firstReceiptAfter(restartedAt) - restartedAt) + " ms after it", client);
            assertEndState(client.receipts(), new CrashEndState(database.url(), pair.primary().port()));
        }
    }

    /**
     * Last, for the backup stays live: the shelter consumes its queue over AMQP (rhea) from the live broker, which is
     * killed under steady submission. Its copies of every referral receipted in this class, the earlier phases' too,
     * must reach it once each, from the live broker or from the backup, which took over the replicated journal.
     */
    @Test
    @Order(3)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyReceiptedReferralIsDeliveredOnceWhenTheLiveBrokerIsKilled() throws Exception {
        assumeTrue(onPath("node"), "needs Node.js for the provider's AMQP consumer (rhea)");
        int primary = pair.primary().port();
        int backup = pair.backup().port();
        try (AmqpFailoverConsumer shelter = AmqpFailoverConsumer.start(CONSUMING_PROVIDER, primary, backup);
             SteadySubmitter client = SteadySubmitter.start(baseUrls(), PACE)) {
            shelter.awaitConnectedTo(primary, PROGRESS);
            client.awaitMoreReceipts(5, PROGRESS);
            long killedAt = System.nanoTime();
            pair.primary().kill();
            pair.backup().awaitLog(StandaloneArtemis.ACTIVE, 1, PROGRESS);
            long activeAt = System.nanoTime();
            client.awaitMoreReceipts(10, PROGRESS);
            shelter.awaitConnectedTo(backup, PROGRESS);
            client.stop();
            everReceipted.addAll(client.receipts().keySet());
            shelter.awaitReferrals(everReceipted, PROGRESS);
            report("crash (b)", "backup active " + millis(activeAt - killedAt) + " ms after the kill, next receipt "
                    + millis(client.firstReceiptAfter(killedAt) - killedAt) + " ms after it, the AMQP consumer on the backup "
                    + millis(shelter.firstConnectedAt(backup) - killedAt) + " ms after it, " + shelter.messageCount()
                    + " messages for " + shelter.deliveriesByReferral().size() + " referrals", client);
            assertEndState(client.receipts(), new CrashEndState(database.url(), backup,
                    Map.of(CONSUMING_PROVIDER, shelter.deliveriesByReferral())));
        }
    }

    /** {@code pg_ctlcluster restart} on the local cluster; null once done, or why it was not allowed. */
    private static String restartPostgres() throws Exception {
        String[] versions = new File("/etc/postgresql").list();
        String version = versions != null && versions.length == 1 ? versions[0] : "15";
        Process restart;
        try {
            restart = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            return "no pg_ctlcluster: " + e.getMessage();
        }
        String output = new String(restart.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!restart.waitFor(60, TimeUnit.SECONDS)) {
            restart.destroyForcibly();
            fail("pg_ctlcluster restart did not finish within 60 s: " + output);
        }
        if (restart.exitValue() != 0) {
            if (ScratchPostgresDatabase.reachable()) {
                return "pg_ctlcluster exited " + restart.exitValue() + ": " + output;
            }
            fail("pg_ctlcluster restart exited " + restart.exitValue() + " and left PostgreSQL down: " + output);
        }
        return null;
    }

    private static void assertEndState(Map<String, String> receipts, CrashEndState endState) throws Exception {
        everReceipted.addAll(receipts.keySet());
        List<String> problems = endState.problems(receipts, everReceipted);
        if (!problems.isEmpty()) {
            fail(problems.size() + " broken promises among " + receipts.size() + " receipts (logs under " + work + "):\n"
                    + String.join("\n", problems.subList(0, Math.min(40, problems.size()))));
        }
    }

    private static void report(String phase, String what, SteadySubmitter client) {
        System.out.printf("%s: %d referrals receipted at one per %d ms on %d nodes; %s; answers %s%n", phase, client.receiptCount(),
                PACE.toMillis(), NODES, what, client.answers());
    }

    private static List<String> baseUrls() {
        return nodes.stream().map(BusProcess::baseUrl).toList();
    }

    private static long millis(long nanos) {
        return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
