package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.support.UpgradedDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The table of re-routings due, on both databases (the embedded default and PostgreSQL, the production one; that case
 * is skipped when no PostgreSQL answers on 127.0.0.1:5432/test): a decline's needs come back as one request per
 * delivery, only once they are older than the grace (or, after a failed attempt, at once while younger than the grace,
 * else once they waited as long again as they had been due: at most a day), and two bus instances sweeping at once cannot both claim one.
 */
class PendingReroutesTest {


    @TempDir
    Path dataDir;
    private UpgradedDatabase upgraded;

    @AfterEach
    void close() throws Exception {
        if (upgraded != null) {
            upgraded.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void dueReroutesComeBackPerDeliveryAfterTheGraceAndOnlyOneInstanceClaimsEach(String database) {
        PendingReroutes pending = new PendingReroutes(migrated(database), properties(Duration.ofMinutes(1)));
        // Whole milliseconds: the databases keep microseconds and round the rest, which would move a bound by one.
        OffsetDateTime declinedAt = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5).truncatedTo(ChronoUnit.MILLIS);
        RerouteRequest declined = new RerouteRequest("interior-ministry", "r-1", List.of(ServiceCode.LEGAL, ServiceCode.SHELTER), null, "d-1");
        RerouteRequest escalated = new RerouteRequest("interior-ministry", "r-2", List.of(ServiceCode.LEGAL), "NO_ACK:legal-aid-khujand", "d-2");
        pending.due(declined, declinedAt);
        pending.due(escalated, declinedAt.plusMinutes(4));

        assertThat(pending.anyFor("interior-ministry", "r-1")).isTrue();
        assertThat(pending.anyFor("interior-ministry", "r-3")).isFalse();
        assertThat(pending.backlog().needs()).isEqualTo(3);
        assertThat(pending.backlog().oldest()).hasValueSatisfying(at ->
                assertThat(at.toInstant()).isCloseTo(declinedAt.toInstant(), within(1, ChronoUnit.MILLIS))); // stored in microseconds

        OffsetDateTime sweep = declinedAt.plusMinutes(4).plusSeconds(30);
        List<PendingReroutes.Stranded> stranded = pending.toTry(sweep);
        assertThat(stranded).as("the escalation is within its grace").singleElement().satisfies(s -> {
            assertThat(s.request()).isEqualTo(declined);
            assertThat(s.request().escalated()).isFalse();
        });

        assertThat(pending.claim(stranded.get(0), sweep)).as("the first instance").isTrue();
        assertThat(pending.claim(stranded.get(0), sweep.plusNanos(5_000))).as("the second, with what it read before the claim").isFalse();
        assertThat(pending.toTry(sweep.plusSeconds(20))).as("claimed: not taken again within a grace").isEmpty();
        Duration due = Duration.between(declinedAt, sweep.plusSeconds(2));
        assertThat(pending.failed(declined, sweep.plusSeconds(2))).as("as long again as it has been due").isEqualTo(due);
        assertThat(pending.toTry(sweep.plusSeconds(3))).as("the attempt failed: not at the next sweep").isEmpty();
        assertThat(pending.toTry(sweep.plusSeconds(2).plus(due))).as("but once it has waited as long again")
                .extracting(PendingReroutes.Stranded::deliveryId).contains("d-1");
        assertThat(pending.backlog().oldest()).as("still due since the decline").hasValueSatisfying(at ->
                assertThat(at.toInstant()).isCloseTo(declinedAt.toInstant(), within(1, ChronoUnit.MILLIS)));

        pending.finished(declined.withServices(List.of(ServiceCode.LEGAL)));
        assertThat(pending.anyFor("interior-ministry", "r-1")).as("SHELTER is still due").isTrue();
        pending.finished(declined);
        assertThat(pending.anyFor("interior-ministry", "r-1")).isFalse();
        assertThat(pending.toTry(sweep.plusHours(1))).singleElement().satisfies(s -> assertThat(s.request()).isEqualTo(escalated));
    }

    /** Needs the old code stranded (no row of this table then) are found by the migration that creates it. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void needsStrandedBeforeTheUpgradeAreDueAfterIt(String database) {
        JdbcTemplate jdbc = migrated(database, "21");
        stored(jdbc, "r-declined", "d-1", "legal-aid-khujand", "DECLINED", "DECLINED", null, true);
        stored(jdbc, "r-escalated", "d-2", "shelter-dushanbe", "ESCALATED", "ESCALATED", "NO_ACK:shelter-dushanbe", true);
        stored(jdbc, "r-coordinator-declined", "d-3", "coordinator", "DECLINED", "DECLINED", null, true);
        stored(jdbc, "r-purged", "d-4", "legal-aid-khujand", "DECLINED", "DECLINED", null, false);
        stored(jdbc, "r-moved-on", "d-5", "coordinator", "DELIVERED", "DELIVERED", null, true);

        migrate(database, null);

        List<PendingReroutes.Stranded> due = new PendingReroutes(jdbc, properties(Duration.ofMinutes(1)))
                .toTry(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1));
        assertThat(due).extracting(PendingReroutes.Stranded::request).containsExactlyInAnyOrder(
                new RerouteRequest("interior-ministry", "r-declined", List.of(ServiceCode.LEGAL), null, "d-1"),
                new RerouteRequest("interior-ministry", "r-escalated", List.of(ServiceCode.LEGAL), "NO_ACK:shelter-dushanbe", "d-2"));
    }

    /**
     * A re-routing whose envelope cannot be opened fails at every attempt. Before 2026-12-05 each sweep (every minute)
     * tried it again and warned: 4 320 warnings in three days. Now the attempts back off to one a day.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aReroutingThatKeepsFailingIsTriedAtDoublingIntervalsThenOnceADay(String database) {
        PendingReroutes pending = new PendingReroutes(migrated(database), properties(Duration.ofMinutes(1)));
        OffsetDateTime declinedAt = OffsetDateTime.now(ZoneOffset.UTC).minusDays(5).truncatedTo(ChronoUnit.MILLIS);
        RerouteRequest unopenable = new RerouteRequest("interior-ministry", "r-1", List.of(ServiceCode.LEGAL), null, "d-1");
        pending.due(unopenable, declinedAt);
        pending.failed(unopenable, declinedAt); // the decline's own attempt

        int firstDay = 0;
        int thirdDay = 0;
        for (int minute = 0; minute <= 3 * 24 * 60; minute++) {
            OffsetDateTime sweep = declinedAt.plusMinutes(minute);
            for (PendingReroutes.Stranded stranded : pending.toTry(sweep)) {
                assertThat(pending.claim(stranded, sweep)).isTrue();
                pending.failed(stranded.request(), sweep.plusSeconds(1));
                firstDay += minute < 24 * 60 ? 1 : 0;
                thirdDay += minute >= 2 * 24 * 60 ? 1 : 0;
            }
        }
        assertThat(firstDay).as("at 1, 2, 4 … 1024 minutes").isBetween(10, 12);
        assertThat(thirdDay).as("once a day").isEqualTo(1);
        assertThat(pending.backoff(Duration.ofDays(3))).isEqualTo(PendingReroutes.LONGEST_BACKOFF);
        assertThat(pending.backoff(Duration.ofSeconds(59))).as("new: the next sweep").isZero();
    }

    /** A referral with one LEGAL need, held by {@code provider}'s delivery; its envelope kept or purged. */
    private static void stored(JdbcTemplate jdbc, String referralId, String deliveryId, String provider, String deliveryState,
                               String needState, String escalation, boolean envelopeKept) {
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).minusDays(3);
        String hash = "0".repeat(64);
        jdbc.update("INSERT INTO referral (sender, referral_id, content_sha256, envelope_sha256, state, received_at, envelope) "
                + "VALUES ('interior-ministry', ?, ?, ?, 'ROUTED', ?, ?)", referralId, hash, hash, at, envelopeKept ? new byte[] {1} : null);
        jdbc.update("INSERT INTO delivery (delivery_id, sender, referral_id, provider_id, services, rule, channel, state, envelope_sha256, "
                + "sealed_envelope, created_at, ack_reason) VALUES (?, 'interior-ministry', ?, ?, 'LEGAL', 'regional:LEGAL', 'INBOX', ?, ?, ?, ?, ?)",
                deliveryId, referralId, provider, deliveryState, hash, new byte[] {1}, at, escalation);
        jdbc.update("INSERT INTO referral_need (sender, referral_id, service, provider_id, delivery_id, state, rule, updated_at) "
                + "VALUES ('interior-ministry', ?, 'LEGAL', ?, ?, ?, 'regional:LEGAL', ?)", referralId, provider, deliveryId, needState, at);
    }

    private static DeliveryProperties properties(Duration grace) {
        return new DeliveryProperties(Duration.ofHours(48), Duration.ofHours(4), Duration.ofMinutes(1), grace, Duration.ofMinutes(1),
                new DeliveryProperties.Webhook(6, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(15)));
    }

    private JdbcTemplate migrated(String database) {
        return migrated(database, null);
    }

    /** A fresh database of the kind, migrated up to {@code target} (null: the newest version). */
    private JdbcTemplate migrated(String kind, String target) {
        upgraded = new UpgradedDatabase(kind, dataDir, "reroute_test_");
        return upgraded.migratedTo(target);
    }

    /** The same database, migrated on to {@code target} (null: the newest version). */
    private void migrate(String kind, String target) {
        upgraded.migratedTo(target);
    }
}
