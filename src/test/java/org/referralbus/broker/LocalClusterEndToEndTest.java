package org.referralbus.broker;

import static org.referralbus.support.LocalMachine.freePort;
import static org.referralbus.support.LocalMachine.onPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.ReferralBusApplication;
import org.referralbus.cli.ReferralBusCommandLine;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.ScratchPostgresDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@code deploy/local-cluster.sh} as an operator runs it, on free ports and a scratch PostgreSQL database: the
 * replicating live/backup pair of the standalone Artemis and two bus nodes (the script's default is three; two keep
 * this test short and show the same sharing). Referrals go over mutual TLS to different nodes: each is processed once
 * and its copies are on the live broker once; two referrals of the same person sent to two nodes at the same instant
 * share one case; when the live broker is killed the backup serves both nodes; the audit trail the nodes wrote
 * together verifies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterEndToEndTest {

    private static final String CMS = "application/pkcs7-mime";
    private static final Path SCRIPT = Path.of("deploy/local-cluster.sh").toAbsolutePath();

    @TempDir
    static Path work;
    static ScratchPostgresDatabase database;
    static Map<String, String> environment;
    static int primaryPort;
    static List<String> nodes = new ArrayList<>();
    static JdbcTemplate jdbc;

    @BeforeAll
    static void startTheCluster() throws Exception {
        assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432 (the CI starts it)");
        assumeTrue(onPath("psql") && onPath("curl"), "needs psql and curl");
        database = ScratchPostgresDatabase.create();
        primaryPort = freePort();
        int[] nodePorts = {freePort(), freePort()};
        environment = new HashMap<>(Map.of("REFERRAL_BUS_CLUSTER_DIR", work.resolve("cluster").toString(),
                "CLUSTER_DATABASE", database.url().substring(database.url().lastIndexOf('/') + 1),
                "CLUSTER_NODE_PORTS", nodePorts[0] + " " + nodePorts[1],
                "CLUSTER_PRIMARY_PORT", Integer.toString(primaryPort), "CLUSTER_BACKUP_PORT", Integer.toString(freePort()),
                "CLUSTER_PRIMARY_REPLICATION_PORT", Integer.toString(freePort()),
                "CLUSTER_BACKUP_REPLICATION_PORT", Integer.toString(freePort())));
        // The nodes as the jar would run, from this build's classes (the jar is built after the tests).
        environment.put("REFERRAL_BUS", String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                ReferralBusApplication.class.getName()));
        for (int port : nodePorts) {
            nodes.add("https://localhost:" + port);
        }
        Run start = script("start", 360);
        assertThat(start.exit()).as(start.output()).isZero();
        assertThat(start.output()).containsPattern("broker-primary +up +pid \\d+ +port " + primaryPort + " \\(live\\)")
                .containsPattern("broker-backup +up +pid \\d+ +port \\d+ \\(backup, replicating\\)")
                .containsPattern("node-1 +up +pid \\d+ +port " + nodePorts[0])
                .containsPattern("node-2 +up +pid \\d+ +port " + nodePorts[1]);
        jdbc = new JdbcTemplate(new DriverManagerDataSource(database.url(), "postgres", ""));
    }

    @AfterAll
    static void stopTheCluster() throws Exception {
        try {
            if (environment != null) {
                Run stop = script("stop", 180);
                assertThat(stop.exit()).as(stop.output()).isZero();
                assertThat(script("status", 30).output()).doesNotContain(" up ");
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    @Order(1)
    void eachReferralSentToBothNodesIsProcessedOnceAndItsCopiesAreOnTheLiveBrokerOnce() throws Exception {
        List<String> referralIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
            byte[] envelope = seal(xml);
            HttpResponse<byte[]> first = post(nodes.get(i % 2), envelope);
            HttpResponse<byte[]> again = post(nodes.get((i + 1) % 2), envelope);
            assertThat(first.statusCode()).isEqualTo(202);
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(again.body()).as("the other node answers with the same receipt").isEqualTo(first.body());
            referralIds.add(ReferralExamples.referralId(xml));
        }

        ProviderInbox live = ProviderInbox.overTls(primaryPort);
        for (String referralId : referralIds) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM referral WHERE referral_id = ?", Integer.class, referralId)).isOne();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND provider_id = 'shelter-dushanbe'",
                    Integer.class, referralId)).isOne();
            assertThat(live.take("shelter-dushanbe", referralId, 20_000)).as("copies of %s for the shelter", referralId).hasSize(1);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'DUPLICATE' AND referral_id IN ("
                + String.join(",", referralIds.stream().map(id -> "'" + id + "'").toList()) + ")", Integer.class))
                .as("each resend answered as a duplicate").isEqualTo(referralIds.size());
    }

    @Test
    @Order(2)
    void samePersonSentToTwoNodesAtTheSameInstantOpensOneCase() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int pair = 0; pair < 4; pair++) {
                String first = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
                String second = first.replaceFirst("<referralId>[^<]+</referralId>", "<referralId>" + UUID.randomUUID() + "</referralId>");
                CyclicBarrier together = new CyclicBarrier(2);
                byte[] one = seal(first);
                byte[] two = seal(second);
                Future<HttpResponse<byte[]>> toFirstNode = threads.submit(() -> {
                    together.await();
                    return post(nodes.get(0), one);
                });
                Future<HttpResponse<byte[]>> toSecondNode = threads.submit(() -> {
                    together.await();
                    return post(nodes.get(1), two);
                });
                assertThat(toFirstNode.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
                assertThat(toSecondNode.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
                assertThat(caseOf(ReferralExamples.referralId(second))).as("one person, one case, across nodes")
                        .isNotNull().isEqualTo(caseOf(ReferralExamples.referralId(first)));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * kill -9 of the live broker: the backup takes over with the replicated journal and both nodes reconnect to it.
     * (Counts and recovery times under load: the crash tests.)
     */
    @Test
    @Order(3)
    void whenTheLiveBrokerIsKilledTheBackupTakesOverForBothNodes() throws Exception {
        long primary = Long.parseLong(Files.readString(work.resolve("cluster/broker-primary.pid")).strip());
        ProcessHandle.of(primary).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> script("status", 30).output().contains("(live: took over)"));

        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        byte[] envelope = seal(xml);
        // The agency's rule: resend the same envelope until it holds a receipt.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .until(() -> post(nodes.get(1), envelope).statusCode() == 202);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .until(() -> live(nodes.get(0)).statusCode() == 202);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND provider_id = 'shelter-dushanbe'",
                Integer.class, ReferralExamples.referralId(xml))).isOne();
        assertThat(ProviderInbox.overTls(Integer.parseInt(environment.get("CLUSTER_BACKUP_PORT")))
                .take("shelter-dushanbe", ReferralExamples.referralId(xml), 20_000)).as("the copy, on the backup that took over").hasSize(1);
    }

    /** A fresh referral to {@code node}, so each node shows it reached the broker that is live now. */
    private static HttpResponse<byte[]> live(String node) throws Exception {
        return post(node, seal(ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))));
    }

    @Test
    @Order(4)
    void theAuditTrailTheNodesWroteTogetherVerifies() {
        StringWriter output = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(output), "audit", "verify", "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=postgres", "--spring.datasource.password=");

        assertThat(exit).as(output.toString()).isZero();
        assertThat(output.toString()).contains("intact").doesNotContain("BROKEN");
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT seq) = COUNT(*) AND MAX(seq) = COUNT(*) FROM audit_event", Boolean.class))
                .as("one sequence without gaps or repeats").isTrue();
    }

    private static String caseOf(String referralId) {
        return jdbc.queryForObject("SELECT case_id FROM referral WHERE referral_id = ?", String.class, referralId);
    }

    private static HttpResponse<byte[]> post(String node, byte[] envelope) throws Exception {
        return MutualTlsClient.as(node, SampleKeys.certificate("agencies", "border-service"), SampleKeys.key("agencies", "border-service"))
                .post("/api/v1/referrals", envelope, CMS);
    }

    private static byte[] seal(String xml) {
        return SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
    }

    private record Run(int exit, String output) {
    }

    private static Run script(String command, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(work, "local-cluster-" + command, ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return new Run(-1, "timed out after " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }
}
