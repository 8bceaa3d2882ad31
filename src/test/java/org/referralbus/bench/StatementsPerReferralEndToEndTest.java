package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StatementCounter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The database cost of one referral, counted at the JDBC driver while the real bus (embedded H2 and Artemis, durable)
 * takes referrals over mutual TLS one after another: SQL statements, transactions and H2 file writes per referral must stay within
 * the bounds listed in docs/performance.md, "Statements per referral". The schedulers are slowed to an hour so only
 * the flow's own statements are counted. Fails when a change adds work per referral; lower the bounds when a change
 * removes some.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(StatementsPerReferralEndToEndTest.Counting.class)
class StatementsPerReferralEndToEndTest {

    /**
     * docs/performance.md, "Statements per referral". 61 since session 43: each lock of the audit head is an update
     * and a read (H2 parsed the one {@code SELECT ... FOR UPDATE} anew every time), four more statements, less CPU.
     */
    static final double MAX_STATEMENTS = 61;
    static final double MAX_TRANSACTIONS = 15;
    /** Chunks H2 writes to its file (MVStore versions stored), by the flow, the commits outside it and H2's own writer. */
    static final double MAX_FILE_WRITES = 2;

    private static final int REFERRALS = 10;
    private static final Path DATA_DIR = dataDir();

    @TestConfiguration(proxyBeanMethods = false)
    static class Counting {
        @Bean
        static StatementCounter statementCounter() {
            return new StatementCounter();
        }
    }

    @DynamicPropertySource
    static void busProperties(DynamicPropertyRegistry registry) {
        registry.add("referral-bus.data-dir", DATA_DIR::toString);
        registry.add("referral-bus.broker.port", org.referralbus.support.LocalMachine::freePort);
        registry.add("referral-bus.intake.rate-limit.enabled", () -> "false");
        registry.add("referral-bus.registry.reload-interval", () -> "1h");
        registry.add("referral-bus.delivery.escalation-check", () -> "1h");
        registry.add("referral-bus.audit.refusal-window", () -> "1h");
        registry.add("referral-bus.audit.checkpoint-interval", () -> "1h");
    }

    @LocalServerPort
    int port;
    @Autowired
    StatementCounter counter;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void oneReferralCostsNoMoreStatementsAndTransactionsThanDocumented() throws Exception {
        MutualTlsClient agency = MutualTlsClient.as("https://localhost:" + port, SampleKeys.certificate("agencies", "border-service"),
                SampleKeys.key("agencies", "border-service"));
        submit(agency); // first one outside the count: caches, lazy beans

        long versionBefore = storedVersion();
        counter.start();
        for (int i = 0; i < REFERRALS; i++) {
            submit(agency);
        }
        counter.stop();
        double fileWrites = (double) (storedVersion() - versionBefore) / REFERRALS;

        double statements = (double) counter.statements() / REFERRALS;
        double transactions = (double) counter.transactions() / REFERRALS;
        System.out.printf("Per referral: %.1f statements, %.1f transactions, %.1f H2 file writes%n", statements, transactions,
                fileWrites);
        counter.bySql().forEach((sql, n) -> System.out.printf("%6.1f  %s%n", (double) n / REFERRALS, sql));
        assertThat(statements).as("SQL statements per referral").isLessThanOrEqualTo(MAX_STATEMENTS).isGreaterThan(0);
        assertThat(transactions).as("transactions per referral").isLessThanOrEqualTo(MAX_TRANSACTIONS).isGreaterThan(0);
        assertThat(fileWrites).as("H2 file writes per referral").isLessThanOrEqualTo(MAX_FILE_WRITES).isGreaterThan(0);
    }

    /** Each store of the MVStore (a chunk written to the file) takes the next version. */
    private long storedVersion() {
        return jdbc.execute((ConnectionCallback<Long>) c -> ((SessionLocal) c.unwrap(JdbcConnection.class).getSession())
                .getDatabase().getStore().getMvStore().getCurrentVersion());
    }

    private static void submit(MutualTlsClient agency) throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        assertThat(agency.post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode()).isEqualTo(202);
    }

    private static Path dataDir() {
        try {
            return Files.createTempDirectory("referral-bus-statements-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
