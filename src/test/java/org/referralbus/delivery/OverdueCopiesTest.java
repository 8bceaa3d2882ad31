package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralbus.routing.RegistryProperties;
import org.referralbus.support.MigratedH2;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The once-a-minute deadline check on the real table (Flyway-migrated H2): which copies are overdue, in which order,
 * and that finding them reads the overdue rows only, not every open copy.
 */
class OverdueCopiesTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 3, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final int OPEN_NOT_DUE = 300;

    private JdbcTemplate jdbc;
    private DeliveryLedger ledger;

    @BeforeEach
    void migratedDatabase() {
        javax.sql.DataSource dataSource = MigratedH2.fresh("overdue");
        jdbc = new JdbcTemplate(dataSource);
        ledger = new DeliveryLedger(jdbc, new RegistryProperties(Path.of("routes/providers.yaml"), Duration.ofSeconds(10),
                "child-protection-national", "coordinator"));
    }

    @Test
    void findsTheDeliveredAndFetchedCopiesPastTheirDeadlineOldestFirstAndNoOthers() {
        for (int i = 0; i < OPEN_NOT_DUE; i++) {
            copy("open-" + i, "shelter-dushanbe", NOW.plusHours(1 + i % 40), i % 3 == 0);
        }
        copy("fetched-overdue", "legal-aid-khujand", NOW.minusHours(1), true);
        copy("delivered-overdue", "shelter-dushanbe", NOW.minusHours(3), false);
        copy("delivered-overdue-later", "medical-dushanbe", NOW.minusMinutes(1), false);
        copy("coordinator-overdue", "coordinator", NOW.minusHours(5), false);
        copy("accepted-overdue", "shelter-dushanbe", NOW.minusHours(4), false);
        jdbc.update("UPDATE delivery SET state = 'ACCEPTED' WHERE delivery_id = 'accepted-overdue'");

        assertThat(ledger.overdue(NOW)).containsExactly("delivered-overdue", "fetched-overdue", "delivered-overdue-later");

        // Read through the index ranges: the rows returned and their ends, not the 300 copies still within their time.
        String plan = jdbc.queryForObject("EXPLAIN ANALYZE " + DeliveryLedger.OVERDUE, String.class,
                NOW, "coordinator", NOW, "coordinator");
        Matcher scans = Pattern.compile("scanCount: (\\d+)").matcher(plan);
        int scanned = 0;
        while (scans.find()) {
            scanned += Integer.parseInt(scans.group(1));
        }
        assertThat(scanned).as(plan).isPositive().isLessThan(20);
    }

    private void copy(String deliveryId, String provider, OffsetDateTime deadline, boolean fetched) {
        ledger.storeOnce(new DeliveryLedger.NewDelivery(deliveryId, "border-service", UUID.randomUUID().toString(), provider,
                "SHELTER", "test", "INBOX", "ROUTINE", "0".repeat(64), new byte[] {1}, NOW.minusDays(3)));
        assertThat(ledger.markDelivered(deliveryId, deadline)).isTrue();
        if (fetched) {
            assertThat(ledger.markFetched(deliveryId, NOW.minusDays(2))).isTrue();
        }
    }
}
