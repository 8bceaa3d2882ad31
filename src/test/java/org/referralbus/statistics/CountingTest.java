package org.referralbus.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What is counted, dimension by dimension: periods of three lengths, minor/adult, every dimension, the median wait. */
class CountingTest {

    static final StatisticsProperties K11 = StatisticsFixtures.properties(11);
    /** Q2 2026 is over, and so is its outcome cut-off (30 days after it). */
    static final LocalDate TODAY = LocalDate.of(2026, 8, 15);

    @Test
    void periodsAreMonthsQuartersOrYearsOfTheReceiptInUtc() {
        List<Fact> facts = new ArrayList<>();
        facts.addAll(people(12, "a", OffsetDateTime.of(2026, 1, 31, 23, 30, 0, 0, ZoneOffset.UTC), Outcome.PENDING, null));
        // 02:00 in Dushanbe on 1 March is still February in UTC.
        facts.addAll(people(12, "b", OffsetDateTime.of(2026, 3, 1, 2, 0, 0, 0, ZoneOffset.ofHours(5)), Outcome.PENDING, null));
        facts.addAll(people(12, "c", OffsetDateTime.of(2026, 4, 2, 9, 0, 0, 0, ZoneOffset.UTC), Outcome.PENDING, null));

        assertThat(counts(report(facts, "period", "month"), "period")).containsExactly(
                Map.entry("2026-01", 12L), Map.entry("2026-02", 12L), Map.entry("2026-04", 12L));
        assertThat(counts(report(facts, "period", "quarter"), "period")).containsExactly(
                Map.entry("2026-Q1", 24L), Map.entry("2026-Q2", 12L));
        assertThat(counts(report(facts, "period", "year"), "period")).containsExactly(Map.entry("2026", 36L));
    }

    @Test
    void minorsAndAdultsAreUnionsOfFiveYearBands() {
        List<Fact> facts = new ArrayList<>();
        facts.addAll(aged(6, "10-14"));
        facts.addAll(aged(6, "15-17"));
        facts.addAll(aged(12, "20-24"));

        StatisticsReport report = Statistics.compute(StatisticsQuery.parse("2026-01-01", "2026-04-01", "ageBand", null,
                "minor-adult", K11, TODAY), facts, K11, StatisticsFixtures.memory(), StatisticsFixtures.on(TODAY));

        assertThat(counts(report, "ageBand")).containsExactly(Map.entry("ADULT", 12L), Map.entry("MINOR", 12L));
    }

    @Test
    void everyDimensionOfTheIssueCountsReferralsAndPeople() {
        List<Fact> facts = new ArrayList<>(people(12, "p", OffsetDateTime.of(2026, 2, 3, 9, 0, 0, 0, ZoneOffset.UTC),
                Outcome.ACCEPTED, OffsetDateTime.of(2026, 2, 3, 15, 0, 0, 0, ZoneOffset.UTC)));
        // The same person referred again by another agency: one more referral, no more people.
        Fact first = facts.get(0);
        facts.add(new Fact("ngo-hotline", "again", first.caseId(), first.receivedAt(), first.category(), first.exploitation(),
                first.sex(), first.ageBand(), first.nationality(), first.region(), first.services(), Outcome.ACCEPTED,
                first.acceptedAt()));

        Map<String, String> values = Map.of("category", "PRESUMED_VICTIM", "sex", "FEMALE", "ageBand", "25-29",
                "nationality", "TJ", "region", "KHATLON", "outcome", "ACCEPTED");
        values.forEach((dimension, value) -> {
            Map<String, Object> cell = report(facts, dimension, null).cells().get(0);
            assertThat(cell).as(dimension).containsEntry(dimension, value).containsEntry("count", 13L).containsEntry("people", 12);
        });
        for (String multiValued : List.of("exploitation", "service")) {
            assertThat(report(facts, multiValued, null).cells()).as(multiValued + ": each referral once per value")
                    .hasSize(2).allSatisfy(c -> assertThat(c).containsEntry("count", 13L).containsEntry("people", 12));
        }
        assertThat(report(facts, "sender", null).total()).containsEntry("count", 13L).containsEntry("people", 12);
    }

    @Test
    void medianTimeToAcceptanceIsPublishedOnlyOverKAcceptances() {
        OffsetDateTime at = OffsetDateTime.of(2026, 2, 3, 9, 0, 0, 0, ZoneOffset.UTC);
        List<Fact> facts = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            facts.addAll(people(1, "w" + i, at, Outcome.ACCEPTED, at.plusHours(i + 1)));
        }

        assertThat(report(facts, "", null).total()).containsEntry("medianHoursToAcceptance", 6.0);

        facts.set(10, people(1, "pending", at, Outcome.PENDING, null).get(0));
        assertThat(report(facts, "", null).total()).as("ten acceptances are fewer than k")
                .containsEntry("count", 11L).doesNotContainKey("medianHoursToAcceptance");
    }

    static StatisticsReport report(List<Fact> facts, String by, String periods) {
        return Statistics.compute(StatisticsQuery.parse("2026-01-01", "2026-07-01", by, periods, null, K11, TODAY), facts, K11,
                StatisticsFixtures.memory(), StatisticsFixtures.on(TODAY));
    }

    static List<Map.Entry<String, Long>> counts(StatisticsReport report, String dimension) {
        return report.cells().stream().map(c -> Map.entry((String) c.get(dimension), (Long) c.get("count"))).toList();
    }

    static List<Fact> people(int n, String prefix, OffsetDateTime at, Outcome outcome, OffsetDateTime acceptedAt) {
        List<Fact> facts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            facts.add(new Fact("border-service", prefix + i, "case-" + prefix + i, at, "PRESUMED_VICTIM", List.of("LABOUR", "SEXUAL"),
                    "FEMALE", "25-29", "TJ", "KHATLON", List.of("LEGAL", "SHELTER"), outcome, acceptedAt));
        }
        return facts;
    }

    static List<Fact> aged(int n, String band) {
        List<Fact> facts = new ArrayList<>();
        for (Fact f : people(n, band, OffsetDateTime.of(2026, 2, 3, 9, 0, 0, 0, ZoneOffset.UTC), Outcome.PENDING, null)) {
            facts.add(new Fact(f.sender(), f.referralId(), f.caseId(), f.receivedAt(), f.category(), f.exploitation(), f.sex(),
                    band, f.nationality(), f.region(), f.services(), f.outcome(), f.acceptedAt()));
        }
        return facts;
    }
}
