package org.referralbus.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.RetryLaterException;

/**
 * Outcomes are counted as they stood at a fixed cut-off after the period (30 days here): a closed period's outcome
 * cells never change once given, whatever providers answer later, so two answers cannot date one person's outcome.
 * Before the cut-off, {@code outcome} is refused and medians are left out; other dimensions are served.
 */
class OutcomeCutOffTest {

    static final StatisticsProperties K11 = StatisticsFixtures.properties(11);
    static final OffsetDateTime FEBRUARY = OffsetDateTime.of(2026, 2, 10, 9, 0, 0, 0, ZoneOffset.UTC);
    /** Q1 2026 ends on 1 April; its outcomes are fixed on 1 May. */
    static final OffsetDateTime FIXED = OffsetDateTime.of(2026, 5, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void aClosedPeriodAskedByOutcomeGivesTheSameAnswerAfterALaterAcceptance() {
        // The outside walkthrough: 63 referrals in Dushanbe still pending; then one of them is accepted.
        List<Fact> facts = new ArrayList<>(referrals(63, "DUSHANBE", Outcome.PENDING, null, null));
        facts.addAll(referrals(40, "SUGHD", Outcome.ACCEPTED, FEBRUARY.plusHours(5), null));
        // Declined in March, accepted by another provider in June: for Q1 it stays declined.
        facts.addAll(referrals(20, "KHATLON", Outcome.ACCEPTED, FEBRUARY.plusMonths(4), FEBRUARY.plusMonths(1)));
        Releases memory = StatisticsFixtures.memory();

        StatisticsReport first = report(facts, "region,outcome", memory, FIXED.plusDays(14));
        assertThat(count(first, "DUSHANBE", "PENDING")).isEqualTo(63L);
        assertThat(count(first, "KHATLON", "DECLINED")).isEqualTo(20L);
        assertThat(first.total()).containsEntry("medianHoursToAcceptance", 5.0);

        facts.set(0, accepted(facts.get(0), FIXED.plusDays(19)));
        StatisticsReport second = report(facts, "region,outcome", memory, FIXED.plusDays(20));

        assertThat(second).as("the same answer, medians included: the acceptance came after the cut-off").isEqualTo(first);
        assertThat(count(second, "DUSHANBE", "PENDING")).as("not 62").isEqualTo(63L);
        assertThat(report(facts, "region,outcome", memory, FIXED.plusYears(3))).as("and for good").isEqualTo(first);
    }

    @Test
    void anOutcomeReachedAfterThePeriodButBeforeItsCutOffCounts() {
        List<Fact> facts = new ArrayList<>(referrals(30, "DUSHANBE", Outcome.PENDING, null, null));
        facts.addAll(referrals(12, "SUGHD", Outcome.ACCEPTED, FIXED.minusDays(10), null));

        StatisticsReport report = report(facts, "outcome", StatisticsFixtures.memory(), FIXED);

        assertThat(report.cells()).extracting(c -> c.get("outcome") + "=" + c.get("count"))
                .containsExactly("ACCEPTED=12", "PENDING=30");
    }

    @Test
    void beforeTheCutOffOutcomeIsRefusedSayingWhenAndOtherDimensionsComeWithoutMedians() {
        List<Fact> facts = new ArrayList<>(referrals(40, "SUGHD", Outcome.ACCEPTED, FEBRUARY.plusHours(5), null));
        OffsetDateTime asked = FIXED.minusDays(11).plusHours(6);

        assertThatThrownBy(() -> report(facts, "sex,outcome", StatisticsFixtures.memory(), asked))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.OUTCOMES_NOT_FINAL);
                    assertThat(e.getMessage()).contains("received before 2026-04-01", "2026-05-01T00:00Z", "without outcome");
                    assertThat(e.retryAfterSeconds()).isEqualTo(Duration.between(asked, FIXED).toSeconds());
                });
        StatisticsReport bySex = report(facts, "sex", StatisticsFixtures.memory(), asked);
        assertThat(bySex.total()).containsEntry("count", 40L).doesNotContainKey("medianHoursToAcceptance");
        assertThat(report(facts, "sex", StatisticsFixtures.memory(), FIXED).total()).containsEntry("medianHoursToAcceptance", 5.0);
    }

    @Test
    void aRangeIsFinalOnlyOnceItsLastPeriodIsAndEachPeriodCountsAtItsOwnCutOff() {
        OffsetDateTime december = FEBRUARY.minusMonths(2);
        // Received in Q4 2025 (fixed on 31 January) and accepted in March: pending for Q4.
        List<Fact> facts = new ArrayList<>(referrals(15, "GBAO", Outcome.ACCEPTED, FEBRUARY.plusMonths(1), null).stream()
                .map(f -> retimed(f, december)).toList());
        facts.addAll(referrals(15, "RRS", Outcome.ACCEPTED, FEBRUARY.plusMonths(1), null));
        StatisticsQuery both = StatisticsQuery.parse("2025-10-01", "2026-04-01", "outcome", null, null, K11, LocalDate.of(2026, 4, 2));

        assertThatThrownBy(() -> Statistics.compute(both, facts, K11, StatisticsFixtures.memory(), FIXED.minusSeconds(1)))
                .isInstanceOfSatisfying(RetryLaterException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.OUTCOMES_NOT_FINAL));
        StatisticsReport report = Statistics.compute(both, facts, K11, StatisticsFixtures.memory(), FIXED);
        assertThat(report.cells()).extracting(c -> c.get("outcome") + "=" + c.get("count"))
                .containsExactly("ACCEPTED=15", "PENDING=15");
    }

    @Test
    void aCutOffBelowZeroIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new StatisticsProperties(11, Granularity.QUARTER, 4, Duration.ofDays(-1)))
                .hasMessageContaining("outcome-cut-off");
        assertThat(new StatisticsProperties(11, Granularity.QUARTER, 4, Duration.ZERO).outcomesFixedAt(LocalDate.of(2026, 4, 1)))
                .isEqualTo(FIXED.minusDays(30));
    }

    private static StatisticsReport report(List<Fact> facts, String by, Releases releases, OffsetDateTime asked) {
        LocalDate today = asked.toLocalDate();
        return Statistics.compute(StatisticsQuery.parse("2026-01-01", "2026-04-01", by, null, null, K11, today), facts, K11,
                releases, asked);
    }

    private static long count(StatisticsReport report, String region, String outcome) {
        return (Long) report.cells().stream().filter(c -> c.get("region").equals(region) && c.get("outcome").equals(outcome))
                .findFirst().orElseThrow().get("count");
    }

    /** {@code n} people of one region received in February, with their outcome now and when they reached it. */
    private static List<Fact> referrals(int n, String region, Outcome outcome, OffsetDateTime acceptedAt, OffsetDateTime declinedAt) {
        List<Fact> facts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = region + "-" + i;
            facts.add(new Fact("border-service", id, "case-" + id, FEBRUARY, "PRESUMED_VICTIM", List.of("LABOUR"), "FEMALE",
                    "25-29", "TJ", region, List.of("SHELTER"), outcome, acceptedAt, declinedAt, null));
        }
        return facts;
    }

    private static Fact accepted(Fact f, OffsetDateTime at) {
        return new Fact(f.sender(), f.referralId(), f.caseId(), f.receivedAt(), f.category(), f.exploitation(), f.sex(),
                f.ageBand(), f.nationality(), f.region(), f.services(), Outcome.ACCEPTED, at, f.declinedAt(), f.escalatedAt());
    }

    private static Fact retimed(Fact f, OffsetDateTime receivedAt) {
        return new Fact(f.sender(), f.referralId(), f.caseId(), receivedAt, f.category(), f.exploitation(), f.sex(),
                f.ageBand(), f.nationality(), f.region(), f.services(), f.outcome(), f.acceptedAt(), f.declinedAt(), f.escalatedAt());
    }
}
