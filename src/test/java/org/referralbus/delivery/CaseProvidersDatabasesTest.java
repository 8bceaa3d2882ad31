package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.referralbus.routing.RegistryProperties;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.support.MigratedH2;
import org.referralbus.support.ScratchPostgresDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which provider first took each service for a person's earlier referrals (the case's referrals bound as one array,
 * {@code = ANY(?)}), on H2 (the embedded default) and PostgreSQL (production): the oldest copy wins, and neither a
 * declined copy, the coordinator's, another sender's nor a referral outside the case counts.
 */
class CaseProvidersDatabasesTest {

    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-06T03:00:00Z");

    @Test
    void onH2() {
        firstProviderOfEachServiceAmongTheCasesReferrals(MigratedH2.fresh("case-providers"));
    }

    @Test
    void onPostgresql() throws Exception {
        Assumptions.assumeTrue(ScratchPostgresDatabase.reachable(), "no PostgreSQL on 127.0.0.1:5432 (start it to run this test)");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create()) {
            firstProviderOfEachServiceAmongTheCasesReferrals(database.migrated());
        }
    }

    private static void firstProviderOfEachServiceAmongTheCasesReferrals(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        DeliveryLedger ledger = new DeliveryLedger(jdbc, new RegistryProperties(Path.of("routes/providers.yaml"),
                Duration.ofSeconds(10), "child-protection-national", "coordinator"));
        copy(ledger, "d1", "border-service", "r1", "shelter-dushanbe", "SHELTER,MEDICAL", 5);
        copy(ledger, "d2", "border-service", "r2", "medical-dushanbe", "MEDICAL", 4);
        copy(ledger, "d3", "border-service", "r2", "legal-aid-khujand", "LEGAL", 3);
        copy(ledger, "d4", "border-service", "r3", "legal-aid-dushanbe", "LEGAL,PSYCHOSOCIAL", 6);
        jdbc.update("UPDATE delivery SET state = 'DECLINED' WHERE delivery_id = 'd4'");
        copy(ledger, "d5", "border-service", "r3", "coordinator", "RETURN", 6);
        copy(ledger, "d6", "ngo-hotline", "r1", "other-shelter", "EDUCATION", 7);
        copy(ledger, "d7", "border-service", "not-in-case", "other-shelter", "DOCUMENTATION", 7);

        Map<ServiceCode, String> first = ledger.firstProviderPerService("border-service", List.of("r1", "r2", "r3"));

        // d1 is the oldest copy that counts: its shelter keeps MEDICAL too, although d2 sent MEDICAL elsewhere.
        assertThat(first).containsExactly(Map.entry(ServiceCode.SHELTER, "shelter-dushanbe"),
                Map.entry(ServiceCode.MEDICAL, "shelter-dushanbe"), Map.entry(ServiceCode.LEGAL, "legal-aid-khujand"));
    }

    private static void copy(DeliveryLedger ledger, String deliveryId, String sender, String referralId, String provider,
                             String services, int daysAgo) {
        ledger.storeOnce(new DeliveryLedger.NewDelivery(deliveryId, sender, referralId, provider, services, "test", "INBOX",
                "ROUTINE", "0".repeat(64), new byte[] {1}, NOW.minusDays(daysAgo)));
    }
}
