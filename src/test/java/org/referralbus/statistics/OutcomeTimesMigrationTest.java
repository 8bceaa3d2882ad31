package org.referralbus.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.referralbus.support.UpgradedDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Outcome times on both databases (the embedded default and PostgreSQL, skipped when none answers on
 * 127.0.0.1:5432/test): migration V24 dates the outcomes of facts stored before it from the needs' history, and the
 * answers that move an outcome time it, once, only when they strengthen it.
 */
class OutcomeTimesMigrationTest {

    private static final OffsetDateTime RECEIVED = OffsetDateTime.of(2026, 2, 10, 9, 0, 0, 0, ZoneOffset.UTC);

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
    void factsStoredBeforeTheUpgradeGetTheirOutcomeTimesFromTheNeedsHistory(String database) {
        JdbcTemplate jdbc = migrated(database, "23");
        stored(jdbc, "declined", "DECLINED", null, history("ROUTED", 0), history("DECLINED", 1), history("DECLINED", 2));
        stored(jdbc, "escalated-then-accepted", "ACCEPTED", day(3),
                history("DECLINED", 1), history("ESCALATED", 2), history("ACCEPTED", 3), history("CLOSED", 4));
        stored(jdbc, "accepted-then-declined", "ACCEPTED", day(1), history("ACCEPTED", 1), history("DECLINED", 2));
        stored(jdbc, "closed-untimed", "ACCEPTED", null, history("CLOSED", 5));
        stored(jdbc, "escalated-no-history", "ESCALATED", null);
        stored(jdbc, "pending", "PENDING", null, history("ROUTED", 0));

        migrate(database, null);

        Map<String, Fact> facts = new ReferralFacts(jdbc).receivedBetween(RECEIVED, RECEIVED.plusDays(1)).stream()
                .collect(Collectors.toMap(Fact::referralId, Function.identity()));
        assertThat(times(facts.get("declined"))).containsExactly(null, t(1), null);
        assertThat(times(facts.get("escalated-then-accepted"))).containsExactly(t(3), t(1), t(2));
        assertThat(times(facts.get("accepted-then-declined"))).as("a decline after the acceptance changed nothing")
                .containsExactly(t(1), null, null);
        assertThat(times(facts.get("closed-untimed"))).containsExactly(t(5), null, null);
        assertThat(times(facts.get("escalated-no-history"))).containsExactly((Instant) null, null, null);
        assertThat(times(facts.get("pending"))).containsExactly((Instant) null, null, null);

        Fact stepwise = facts.get("escalated-then-accepted");
        assertThat(List.of(stepwise.asOf(day(0)), stepwise.asOf(day(1)), stepwise.asOf(day(2)), stepwise.asOf(day(9))))
                .extracting(Fact::outcome).containsExactly(Outcome.PENDING, Outcome.DECLINED, Outcome.ESCALATED, Outcome.ACCEPTED);
        assertThat(facts.get("escalated-no-history").asOf(RECEIVED).outcome())
                .as("an outcome whose time no one knows counts from receipt, as before the upgrade").isEqualTo(Outcome.ESCALATED);
        assertThat(facts.get("pending").asOf(day(9)).outcome()).isEqualTo(Outcome.PENDING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void eachOutcomeIsTimedOnceWhenItStrengthensTheReferrals(String database) {
        ReferralFacts facts = new ReferralFacts(migrated(database, null));
        facts.record(new Fact("border-service", "r-1", "case-1", RECEIVED, "PRESUMED_VICTIM", List.of("LABOUR"), "FEMALE",
                "25-29", "TJ", "SUGHD", List.of("SHELTER"), Outcome.PENDING, null));

        facts.declined("border-service", "r-1", day(1));
        facts.escalated("border-service", "r-1", day(2));
        facts.declined("border-service", "r-1", day(3));
        facts.accepted("border-service", "r-1", day(4));
        facts.escalated("border-service", "r-1", day(5));
        facts.accepted("border-service", "r-1", day(6));

        Fact fact = facts.receivedBetween(RECEIVED, RECEIVED.plusDays(1)).get(0);
        assertThat(fact.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(times(fact)).containsExactly(t(4), t(1), t(2));
        assertThat(fact.asOf(day(3)).outcome()).isEqualTo(Outcome.ESCALATED);
    }

    /** accepted, declined, escalated: as instants, null where not timed. */
    private static List<Instant> times(Fact fact) {
        return Arrays.asList(instant(fact.acceptedAt()), instant(fact.declinedAt()), instant(fact.escalatedAt()));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    private static Instant t(int n) {
        return day(n).toInstant();
    }

    private static OffsetDateTime day(int n) {
        return RECEIVED.plusDays(n);
    }

    private record History(String state, int day) {
    }

    private static History history(String state, int day) {
        return new History(state, day);
    }

    /** A facts row as the code before V24 left it, and its needs' history (one need, rows in order). */
    private static void stored(JdbcTemplate jdbc, String referralId, String outcome, OffsetDateTime acceptedAt, History... rows) {
        jdbc.update("INSERT INTO referral_facts (sender, referral_id, case_id, received_at, category, exploitation, sex, age_band, "
                        + "nationality, region, services, outcome, accepted_at) VALUES ('border-service', ?, ?, ?, 'PRESUMED_VICTIM', "
                        + "'LABOUR', 'FEMALE', '25-29', 'TJ', 'SUGHD', 'SHELTER', ?, ?)",
                referralId, "case-" + referralId, RECEIVED, outcome, acceptedAt);
        for (History row : rows) {
            jdbc.update("INSERT INTO referral_need_history (sender, referral_id, service, provider_id, state, at) "
                    + "VALUES ('border-service', ?, 'SHELTER', 'shelter-dushanbe', ?, ?)", referralId, row.state(), day(row.day()));
        }
    }

    /** A fresh database of the kind, migrated up to {@code target} (null: the newest version). */
    private JdbcTemplate migrated(String kind, String target) {
        upgraded = new UpgradedDatabase(kind, dataDir, "outcome_times_");
        return upgraded.migratedTo(target);
    }

    /** The same database, migrated on to {@code target} (null: the newest version). */
    private void migrate(String kind, String target) {
        upgraded.migratedTo(target);
    }
}
