package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The database cost of one referral, counted at the JDBC driver while the real bus (embedded H2 and Artemis, durable)
 * takes referrals over mutual TLS one after another: SQL statements and transactions per referral must stay within
 * the bounds listed in docs/performance.md, "Statements per referral". The schedulers are slowed to an hour so only
 * the flow's own statements are counted. Fails when a change adds work per referral; lower the bounds when a change
 * removes some.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(StatementsPerReferralEndToEndTest.Counting.class)
class StatementsPerReferralEndToEndTest {

    /** docs/performance.md, "Statements per referral". */
    static final double MAX_STATEMENTS = 78;
    static final double MAX_TRANSACTIONS = 32;

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

    @Test
    void oneReferralCostsNoMoreStatementsAndTransactionsThanDocumented() throws Exception {
        MutualTlsClient agency = MutualTlsClient.as("https://localhost:" + port, SampleKeys.certificate("agencies", "border-service"),
                SampleKeys.key("agencies", "border-service"));
        submit(agency); // first one outside the count: caches, lazy beans

        counter.start();
        for (int i = 0; i < REFERRALS; i++) {
            submit(agency);
        }
        counter.stop();

        double statements = (double) counter.statements() / REFERRALS;
        double transactions = (double) counter.transactions() / REFERRALS;
        System.out.printf("Per referral: %.1f statements, %.1f transactions%n", statements, transactions);
        counter.bySql().forEach((sql, n) -> System.out.printf("%6.1f  %s%n", (double) n / REFERRALS, sql));
        assertThat(statements).as("SQL statements per referral").isLessThanOrEqualTo(MAX_STATEMENTS).isGreaterThan(0);
        assertThat(transactions).as("transactions per referral").isLessThanOrEqualTo(MAX_TRANSACTIONS).isGreaterThan(0);
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
