package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.referralbus.dedupe.PersonReferrals.Person;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * Two bus instances (each with its own embedded broker) share one PostgreSQL database, as two nodes behind a load
 * balancer would: deduplication rests on the database's unique constraints and the processing lease, not on
 * anything in memory. Also proves the Flyway migrations run on PostgreSQL. Uses a fresh database
 * {@code referralbus_it_<random>} on 127.0.0.1:5432 (user postgres, trust auth; {@code .ci/run} starts the server)
 * and drops it afterwards; skipped only when PostgreSQL is unreachable.
 */
class TwoBusInstancesSharingPostgresTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String CMS = "application/pkcs7-mime";

    private static String database;
    private static Path dataDirs;
    private static StandaloneBus first;
    private static StandaloneBus second;

    @BeforeAll
    static void startTwoInstancesOnOneDatabase() throws Exception {
        Assumptions.assumeTrue(reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres): "
                + "start it (pg_ctlcluster --skip-systemctl-redirect <version> main start, as .ci/run does) to run this test");
        byte[] random = new byte[6];
        new java.security.SecureRandom().nextBytes(random);
        database = "referralbus_it_" + HexFormat.of().formatHex(random);
        admin("CREATE DATABASE " + database);
        dataDirs = Files.createTempDirectory("referral-bus-pg-");
        String[] db = {"--spring.datasource.url=" + SERVER + database, "--spring.datasource.username=postgres",
                "--spring.datasource.password="};
        first = StandaloneBus.start(dataDirs.resolve("first"), db); // migrates the empty database
        second = StandaloneBus.start(dataDirs.resolve("second"), db);
    }

    @AfterAll
    static void stopAndDropTheDatabase() throws Exception {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (database != null) {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void sameEnvelopeToEachInstanceInTurnIsDeliveredOnceAndAnsweredWithTheSameReceipt() throws Exception {
        String referralId = PersonReferrals.newId();
        byte[] envelope = envelope(referralId);

        HttpResponse<byte[]> one = client(first).post("/api/v1/referrals", envelope, CMS);
        HttpResponse<byte[]> two = client(second).post("/api/v1/referrals", envelope, CMS);

        assertThat(one.statusCode()).isEqualTo(202);
        assertThat(two.statusCode()).isEqualTo(202);
        assertThat(two.body()).isEqualTo(one.body());
        assertThat(two.headers().firstValue("Referral-Bus-Duplicate")).hasValue("true");
        assertExactlyOnce(referralId);
    }

    @Test
    void sameEnvelopeToBothInstancesAtOnceIsDeliveredOnceAndAnsweredWithTheSameReceipt() throws Exception {
        String referralId = PersonReferrals.newId();
        byte[] envelope = envelope(referralId);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<HttpResponse<byte[]>> toFirst = () -> client(first).post("/api/v1/referrals", envelope, CMS);
            Callable<HttpResponse<byte[]>> toSecond = () -> client(second).post("/api/v1/referrals", envelope, CMS);
            List<Future<HttpResponse<byte[]>>> answers = pool.invokeAll(List.of(toFirst, toSecond));

            HttpResponse<byte[]> one = answers.get(0).get();
            HttpResponse<byte[]> two = answers.get(1).get();
            assertThat(one.statusCode()).isEqualTo(202);
            assertThat(two.statusCode()).isEqualTo(202);
            assertThat(two.body()).isEqualTo(one.body());
        } finally {
            pool.shutdownNow();
        }
        assertExactlyOnce(referralId);
        assertThat(first.bean(JdbcTemplate.class).queryForObject(
                "SELECT COUNT(*) FROM audit_event WHERE event_type = 'DUPLICATE' AND referral_id = ?", Integer.class, referralId))
                .as("one instance processed it, the other answered with its receipt").isEqualTo(1);
    }

    @Test
    void samePersonReferredThroughTheOtherInstanceJoinsTheCase() throws Exception {
        int year = PersonReferrals.freshBirthYear();
        String border = PersonReferrals.newId();
        String hotline = PersonReferrals.newId();
        byte[] fromBorder = seal("border-service", PersonReferrals.referral(border, "border-service",
                new Person("Меҳрангез", "Ҷӯраева", null, "FEMALE", year + "-08-08", null), "DUSHANBE", null, "URGENT", List.of("SHELTER")));
        byte[] fromHotline = seal("ngo-hotline", PersonReferrals.referral(hotline, "ngo-hotline",
                new Person("Mehrangez", "Dzhuraeva", null, "FEMALE", null, java.time.Year.now().getValue() - year - 1), "SUGHD", null, "URGENT", List.of("SHELTER")));

        assertThat(client(first).post("/api/v1/referrals", fromBorder, CMS).statusCode()).isEqualTo(202);
        assertThat(MutualTlsClient.as(second.baseUrl(), SampleKeys.certificate("agencies", "ngo-hotline"),
                SampleKeys.key("agencies", "ngo-hotline")).post("/api/v1/referrals", fromHotline, CMS).statusCode()).isEqualTo(202);

        JdbcTemplate jdbc = first.bean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT case_id FROM referral WHERE referral_id = ?", String.class, hotline))
                .isEqualTo(jdbc.queryForObject("SELECT case_id FROM referral WHERE referral_id = ?", String.class, border));
        // Another agency's case: the coordinator decides, and the hotline is not told of the link (issue 10).
        assertThat(second.bean(CaseLinks.class).isLinkedToExistingCase("ngo-hotline", hotline)).isFalse();
        assertThat(jdbc.queryForList("SELECT DISTINCT provider_id FROM delivery WHERE referral_id = ?", String.class, hotline))
                .containsExactly("coordinator");
    }

    private static void assertExactlyOnce(String referralId) throws Exception {
        JdbcTemplate jdbc = first.bean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM referral WHERE referral_id = ?", Integer.class, referralId)).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT provider_id FROM delivery WHERE referral_id = ? ORDER BY provider_id", String.class,
                referralId)).containsExactly("coordinator", "medical-dushanbe", "shelter-dushanbe");
        for (String provider : List.of("shelter-dushanbe", "medical-dushanbe", "coordinator")) {
            int onFirst = new ProviderInbox(first.bean(JmsTemplate.class)).take(provider, referralId, 5_000).size();
            int onSecond = new ProviderInbox(second.bean(JmsTemplate.class)).take(provider, referralId, onFirst == 0 ? 5_000 : 300).size();
            assertThat(onFirst + onSecond).as("copies for " + provider + " on both brokers").isEqualTo(1);
        }
    }

    private static byte[] envelope(String referralId) {
        int year = PersonReferrals.freshBirthYear();
        return seal("border-service", PersonReferrals.referral(referralId, "border-service",
                new Person("Зарина", "Каримова", null, "FEMALE", year + "-04-04", null), "DUSHANBE", null, "URGENT",
                List.of("SHELTER", "MEDICAL", "PSYCHOSOCIAL")));
    }

    private static byte[] seal(String agencyId, String xml) {
        return SampleKeys.agencySealer(agencyId).seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
    }

    private static MutualTlsClient client(StandaloneBus bus) {
        return MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "border-service"),
                SampleKeys.key("agencies", "border-service"));
    }

    private static boolean reachable() {
        DriverManager.setLoginTimeout(3);
        try (Connection ignored = DriverManager.getConnection(SERVER + "postgres", "postgres", "")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
