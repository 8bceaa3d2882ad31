package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralbus.routing.RegistryProperties;
import org.referralbus.support.MigratedH2;
import org.referralbus.support.RowsRead;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The queries over open copies on the real table (Flyway-migrated H2): the once-a-minute deadline check, a
 * provider's inbox, and a capped provider's open cases. Each finds the right copies in the right order, and reads those rows only, not every copy stored.
 */
class OpenCopiesTest {

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
        RowsRead.assertFewerThan(20, jdbc, DeliveryLedger.OVERDUE, NOW, "coordinator", NOW, "coordinator");
    }

    @Test
    void aProvidersInboxListsItsDeliveredAndFetchedCopiesOldestFirstWithoutReadingItsAnsweredOnes() {
        for (int i = 0; i < OPEN_NOT_DUE; i++) {
            copy("answered-" + i, "shelter-dushanbe", NOW.plusHours(1), false);
            jdbc.update("UPDATE delivery SET state = ? WHERE delivery_id = ?", i % 2 == 0 ? "ACCEPTED" : "CLOSED", "answered-" + i);
        }
        copy("fetched", "shelter-dushanbe", NOW.plusHours(1), true);
        copy("delivered", "shelter-dushanbe", NOW.plusHours(1), false);
        copy("someone-elses", "medical-dushanbe", NOW.plusHours(1), false);
        jdbc.update("UPDATE delivery SET created_at = ? WHERE delivery_id = 'delivered'", NOW.minusDays(4));

        assertThat(ledger.pendingFor("shelter-dushanbe")).extracting(DeliveryLedger.DeliveryRow::deliveryId)
                .containsExactly("delivered", "fetched");
        RowsRead.assertFewerThan(20, jdbc, DeliveryLedger.PENDING_FOR, "shelter-dushanbe", "shelter-dushanbe");
    }

    @Test
    void aCappedProvidersOpenCasesCountItsRecentCopiesHoldingAPlaceWithoutReadingItsOlderOrAnsweredOnes() {
        for (int i = 0; i < OPEN_NOT_DUE; i++) {
            copy("answered-" + i, "shelter-dushanbe", NOW.plusHours(1), false);
            jdbc.update("UPDATE delivery SET state = ? WHERE delivery_id = ?", i % 2 == 0 ? "CLOSED" : "DECLINED", "answered-" + i);
            copy("before-the-window-" + i, "shelter-dushanbe", NOW.plusHours(1), false);
            jdbc.update("UPDATE delivery SET created_at = ? WHERE delivery_id = ?", NOW.minusDays(40), "before-the-window-" + i);
        }
        copy("delivered", "shelter-dushanbe", NOW.plusHours(1), false);
        copy("fetched", "shelter-dushanbe", NOW.plusHours(1), true);
        copy("accepted", "shelter-dushanbe", NOW.plusHours(1), false);
        jdbc.update("UPDATE delivery SET state = 'ACCEPTED' WHERE delivery_id = 'accepted'");
        ledger.storeOnce(new DeliveryLedger.NewDelivery("sealed", "border-service", "referral-being-routed", "shelter-dushanbe",
                "SHELTER", "test", "INBOX", "ROUTINE", "0".repeat(64), new byte[] {1}, NOW.minusDays(3)));
        copy("someone-elses", "medical-dushanbe", NOW.plusHours(1), false);
        OffsetDateTime since = NOW.minusDays(30);
        List<String> capped = List.of("legal-aid-khujand", "shelter-dushanbe");

        assertThat(ledger.perProviderSince(since, capped)).containsExactly(Map.entry("shelter-dushanbe", 4));
        // The referral being routed again does not count against the provider (its sealed copy above).
        assertThat(ledger.perProviderSince(since, capped, "border-service", "referral-being-routed"))
                .containsExactly(Map.entry("shelter-dushanbe", 3));
        RowsRead.assertFewerThan(30, jdbc, DeliveryLedger.openSince(2, true),
                DeliveryLedger.openSinceArguments(since, capped, "border-service", "referral-being-routed"));
    }

    @Test
    void aCaseNoticeHoldsNoPlaceAndLeavesTheInboxOnceFetched() {
        copy("accepted-then-closed", "shelter-dushanbe", NOW.plusHours(1), false);
        jdbc.update("UPDATE delivery SET state = 'CLOSED' WHERE delivery_id = 'accepted-then-closed'");
        notice("notice-delivered", "shelter-dushanbe", false);
        notice("notice-fetched", "shelter-dushanbe", true);
        copy("open", "shelter-dushanbe", NOW.plusHours(1), false);

        assertThat(ledger.perProviderSince(NOW.minusDays(30), List.of("shelter-dushanbe")))
                .as("the notices' referrals are closed at the shelter: only the open copy holds a place")
                .containsExactly(Map.entry("shelter-dushanbe", 1));
        assertThat(ledger.pendingFor("shelter-dushanbe")).extracting(DeliveryLedger.DeliveryRow::deliveryId)
                .as("a fetched notice takes no answer, so nothing else would take it off the list")
                .containsExactlyInAnyOrder("notice-delivered", "open");
        assertThat(ledger.find("notice-delivered").orElseThrow().isCaseNotice()).isTrue();
        assertThat(ledger.find("open").orElseThrow().isCaseNotice()).isFalse();
        assertThat(ledger.overdue(NOW.plusYears(1))).as("a notice has no deadline").containsExactly("open");
    }

    @Test
    void anEscalationNamesTheLongestProviderIdInFull() {
        String longest = "p" + "-provider".repeat(6) + "-longest";
        assertThat(longest).hasSize(64 - 1);
        ledger.storeOnce(new DeliveryLedger.NewDelivery("to-a-long-id", "border-service", "r-long", longest,
                "SHELTER", "linked-case:CHILD_PROTECTION,".repeat(6) + "linked-case:SHELTER", "WEBHOOK", "IMMEDIATE",
                "0".repeat(64), new byte[] {1}, NOW));

        assertThat(ledger.escalate("to-a-long-id", "WEBHOOK_FAILED:" + longest)).isTrue();
        assertThat(jdbc.queryForObject("SELECT ack_reason FROM delivery WHERE delivery_id = 'to-a-long-id'", String.class))
                .isEqualTo("WEBHOOK_FAILED:" + longest);
        jdbc.update("INSERT INTO referral_need_history (sender, referral_id, service, provider_id, state, detail, at) "
                + "VALUES ('border-service', 'r-long', 'SHELTER', ?, 'ESCALATED', ?, ?)", longest, "WEBHOOK_FAILED:" + longest, NOW);
    }

    private void notice(String deliveryId, String provider, boolean fetched) {
        ledger.storeOnce(new DeliveryLedger.NewDelivery(deliveryId, "border-service", UUID.randomUUID().toString(), provider,
                "SHELTER", DeliveryLedger.CASE_NOTICE, "INBOX", "ROUTINE", "0".repeat(64), new byte[] {1}, NOW.minusDays(3)));
        assertThat(ledger.markDelivered(deliveryId, null)).isTrue();
        if (fetched) {
            assertThat(ledger.markFetched(deliveryId, NOW.minusDays(2))).isTrue();
        }
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
