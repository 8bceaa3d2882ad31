package org.referralbus.broker;

import static org.referralbus.support.LocalMachine.freePort;
import static org.referralbus.support.LocalMachine.onPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.DeploymentPki;
import org.referralbus.support.LocalMachine;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.ScratchPostgresDatabase;
import org.referralbus.support.StandaloneArtemis;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jms.core.JmsTemplate;

/**
 * {@code deploy/local-cluster.sh} as an operator runs it, on free ports and a scratch PostgreSQL database: the
 * replicating live/backup pair of the standalone Artemis and two bus nodes (the script's default is three; two keep
 * this test short and show the same sharing), in the {@code prod} profile on the PKI and secrets the script made with
 * the production recipe. Every client is a participant of that PKI. Referrals go over mutual TLS to different nodes:
 * each is processed once and its copies are on the live broker once; two referrals of the same person sent to two
 * nodes at the same instant share one case; when the live broker is killed the backup serves both nodes and the
 * provider's {@code listen}, which moves to it and receives every copy once; the audit trail the nodes wrote together
 * verifies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterEndToEndTest {

    private static final String CMS = "application/pkcs7-mime";
    private static final Path SCRIPT = Path.of("deploy/local-cluster.sh").toAbsolutePath();
    private static final Path RECIPE = Path.of("docs/recipes/production.sh").toAbsolutePath();
    private static final String AGENCY = "border-service";
    private static final String PROVIDER = "shelter-dushanbe";

    @TempDir
    static Path work;
    static ScratchPostgresDatabase database;
    static Map<String, String> environment;
    static int primaryPort;
    static int backupPort;
    static DeploymentPki pki;
    static List<String> bus;
    static String startOutput;
    static List<String> nodes = new ArrayList<>();
    static JdbcTemplate jdbc;

    @BeforeAll
    static void startTheCluster() throws Exception {
        assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432 (the CI starts it)");
        assumeTrue(onPath("psql") && onPath("curl") && onPath("openssl"), "needs psql, curl and openssl (the cluster makes its PKI)");
        database = ScratchPostgresDatabase.create();
        primaryPort = freePort();
        backupPort = freePort();
        int[] nodePorts = {freePort(), freePort()};
        environment = new HashMap<>(Map.of("REFERRAL_BUS_CLUSTER_DIR", work.resolve("cluster").toString(),
                "CLUSTER_DATABASE", database.url().substring(database.url().lastIndexOf('/') + 1),
                "CLUSTER_NODE_PORTS", nodePorts[0] + " " + nodePorts[1],
                "CLUSTER_PRIMARY_PORT", Integer.toString(primaryPort), "CLUSTER_BACKUP_PORT", Integer.toString(backupPort),
                "CLUSTER_PRIMARY_REPLICATION_PORT", Integer.toString(freePort()),
                "CLUSTER_BACKUP_REPLICATION_PORT", Integer.toString(freePort())));
        // The nodes as the jar would run, from this build's classes (the jar is built after the tests).
        bus = LocalMachine.busJvm("384m", System.getProperty("java.class.path"));
        environment.put("REFERRAL_BUS", String.join(" ", bus));
        for (int port : nodePorts) {
            nodes.add("https://localhost:" + port);
        }
        Run start = script("start", 360);
        startOutput = start.output();
        assertThat(start.exit()).as(start.output()).isZero();
        assertThat(start.output()).containsPattern("broker-primary +up +pid \\d+ +port " + primaryPort + " \\(live\\)")
                .containsPattern("broker-backup +up +pid \\d+ +port \\d+ \\(backup, replicating\\)")
                .containsPattern("node-1 +up +pid \\d+ +port " + nodePorts[0])
                .containsPattern("node-2 +up +pid \\d+ +port " + nodePorts[1]);
        jdbc = new JdbcTemplate(new DriverManagerDataSource(database.url(), "postgres", ""));
        pki = new DeploymentPki(work.resolve("cluster/conf"));
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
    void theNodesRunTheProdProfileOnTheClustersOwnPkiAndNoSecretIsLogged() throws Exception {
        assertThat(startOutput).contains("made the cluster's PKI, secrets and configuration (prod profile)");
        assertThat(pki.busCertificate().getSubjectX500Principal().getName()).doesNotContain("SAMPLE");
        for (int n = 1; n <= nodes.size(); n++) {
            String log = Files.readString(work.resolve("cluster/node-" + n + ".log"));
            assertThat(log).as("node-%d's start-up summary", n).containsPattern("referral-bus ready: bus certificate "
                    + "CN=referral-bus,OU=bus,O=Referral Bus local cluster .*; agencies 1, providers 3; .*; profiles prod\\b");
            for (String secret : pki.secrets()) {
                assertThat(log).doesNotContain(secret);
            }
        }
        HttpResponse<byte[]> metrics = pki.https(nodes.get(0), "bus-admin").get("/actuator/prometheus");
        assertThat(metrics.statusCode()).as("the cluster's admin reads the metrics").isEqualTo(200);
        assertThat(pki.https(nodes.get(0), AGENCY).get("/actuator/prometheus").statusCode()).as("an agency does not").isEqualTo(403);
    }

    @Test
    @Order(2)
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

        ProviderInbox live = ProviderInbox.overTls(primaryPort, pki);
        for (String referralId : referralIds) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM referral WHERE referral_id = ?", Integer.class, referralId)).isOne();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND provider_id = 'shelter-dushanbe'",
                    Integer.class, referralId)).isOne();
            assertThat(live.take(PROVIDER, referralId, 20_000)).as("copies of %s for the shelter", referralId).hasSize(1);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'DUPLICATE' AND referral_id IN ("
                + String.join(",", referralIds.stream().map(id -> "'" + id + "'").toList()) + ")", Integer.class))
                .as("each resend answered as a duplicate").isEqualTo(referralIds.size());
    }

    @Test
    @Order(3)
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
     * kill -9 of the live broker: the backup takes over with the replicated journal and both nodes reconnect to it. The
     * provider's {@code listen}, given both brokers, has written the copies sent before; it moves to the backup and
     * writes the copies sent after, each once. (Counts and recovery times under load: the crash tests.)
     */
    @Test
    @Order(4)
    void whenTheLiveBrokerIsKilledTheBackupTakesOverForBothNodesAndForListen() throws Exception {
        Path inbox = work.resolve("listen-inbox");
        Path listenLog = work.resolve("listen.log");
        Process listen = listen(inbox, listenLog);
        try {
            List<String> before = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                before.add(submitted(nodes.get(i % 2)));
            }
            await("listen writes the copies sent before the kill").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> referralsWritten(inbox).containsAll(before));
            JmsTemplate onLive = new JmsTemplate(pki.broker(primaryPort, PROVIDER));
            await("and settled them on the live broker").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> before.stream().allMatch(id -> onQueue(onLive, id) == 0));

            long primary = Long.parseLong(Files.readString(work.resolve("cluster/broker-primary.pid")).strip());
            ProcessHandle.of(primary).ifPresent(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> script("status", 30).output().contains("(live: took over)"));

            List<String> after = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
                byte[] envelope = seal(xml);
                String node = nodes.get((i + 1) % 2);
                // The agency's rule: resend the same envelope until it holds a receipt.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> post(node, envelope).statusCode() == 202);
                after.add(ReferralExamples.referralId(xml));
            }
            await("each node reaches the broker that is live now").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> live(nodes.get(0)).statusCode() == 202);

            await("listen, moved to the backup, writes the copies sent after the kill").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> referralsWritten(inbox).containsAll(after));
            String output = Files.readString(listenLog);
            assertThat(output).contains("lost amqps://127.0.0.1:" + primaryPort,
                    "listening on deliveries." + PROVIDER + " at amqps://127.0.0.1:" + backupPort);
            List<String> written = referralsWritten(inbox);
            for (String referralId : concat(before, after)) {
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND provider_id = ?",
                        Integer.class, referralId, PROVIDER)).isOne();
                assertThat(written).as("copies of %s written by listen", referralId).containsOnlyOnce(referralId);
            }
            List<String> deliveryIds = output.lines().filter(line -> line.contains(": signed by the bus, written to"))
                    .map(line -> line.substring(0, line.indexOf(':'))).toList();
            assertThat(deliveryIds).as("nothing received twice").doesNotHaveDuplicates();
        } finally {
            listen.destroy();
            if (!listen.waitFor(30, TimeUnit.SECONDS)) {
                listen.destroyForcibly().waitFor();
            }
        }
    }

    /** The provider's {@code listen} as its own process, with both brokers of the pair and its certificate. */
    private static Process listen(Path inbox, Path log) throws Exception {
        List<String> command = new ArrayList<>(bus);
        command.addAll(List.of("listen", "--profile", pki.conf().resolve(PROVIDER + ".properties").toString(),
                "--broker", "amqps://127.0.0.1:" + primaryPort + ",amqps://127.0.0.1:" + backupPort, "--out", inbox.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The referral id of every copy listen wrote (one ID.json per copy). */
    private static List<String> referralsWritten(Path inbox) throws Exception {
        if (!Files.isDirectory(inbox)) {
            return List.of();
        }
        Pattern referralId = Pattern.compile("\"referralId\" : \"([^\"]+)\"");
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")).map(file -> {
                try {
                    Matcher m = referralId.matcher(Files.readString(file));
                    return m.find() ? m.group(1) : "";
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static int onQueue(JmsTemplate jms, String referralId) {
        return jms.browseSelected("deliveries." + PROVIDER, "referralBusReferralId = '" + referralId + "'",
                (session, browser) -> java.util.Collections.list(browser.getEnumeration()).size());
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    /** A fresh referral accepted by {@code node}; its id. */
    private static String submitted(String node) throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        assertThat(post(node, seal(xml)).statusCode()).isEqualTo(202);
        return ReferralExamples.referralId(xml);
    }

    /** A fresh referral to {@code node}, so each node shows it reached the broker that is live now. */
    private static HttpResponse<byte[]> live(String node) throws Exception {
        return post(node, seal(ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))));
    }

    @Test
    @Order(5)
    void theAuditTrailTheNodesWroteTogetherVerifiesWithTheirConfiguration() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", RECIPE.toString(), "verify").redirectErrorStream(true)
                .redirectOutput(work.resolve("verify.log").toFile());
        builder.environment().putAll(Map.of("CONF", pki.conf().toString(), "REFERRAL_BUS", String.join(" ", bus)));
        Process verify = builder.start();
        assertThat(verify.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(work.resolve("verify.log"));

        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).contains("intact").doesNotContain("BROKEN");
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT seq) = COUNT(*) AND MAX(seq) = COUNT(*) FROM audit_event", Boolean.class))
                .as("one sequence without gaps or repeats").isTrue();
    }

    private static String caseOf(String referralId) {
        return jdbc.queryForObject("SELECT case_id FROM referral WHERE referral_id = ?", String.class, referralId);
    }

    private static HttpResponse<byte[]> post(String node, byte[] envelope) throws Exception {
        return pki.https(node, AGENCY).post("/api/v1/referrals", envelope, CMS);
    }

    private static byte[] seal(String xml) {
        return pki.agencySealer(AGENCY).seal(xml.getBytes(StandardCharsets.UTF_8), pki.busCertificate());
    }

    private record Run(int exit, String output) {
    }

    private static Run script(String command, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(work, "local-cluster-" + command, ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().putAll(StandaloneArtemis.C1_ONLY);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return new Run(-1, "timed out after " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }
}
