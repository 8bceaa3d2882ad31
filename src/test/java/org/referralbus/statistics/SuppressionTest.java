package org.referralbus.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.StartupRefusal;

/** Primary and complementary suppression on small hand-made tables, people counting, and what a query may ask. */
class SuppressionTest {

    static final StatisticsProperties K11 = StatisticsFixtures.properties(11);
    static final LocalDate TODAY = LocalDate.of(2026, 6, 15);
    static final OffsetDateTime JANUARY = OffsetDateTime.of(2026, 1, 10, 9, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void aCellOfFewerThanKPeopleIsSuppressedWithItsOnlyNeighbourSoTheTotalRevealsNeither() {
        List<Fact> facts = new ArrayList<>();
        facts.addAll(people(30, "FEMALE", "DUSHANBE"));
        facts.addAll(people(3, "MALE", "SUGHD"));

        StatisticsReport report = report(facts, "sex");

        assertThat(cell(report.cells(), "sex", "MALE")).containsEntry("suppressed", true).doesNotContainKeys("count", "people");
        assertThat(cell(report.cells(), "sex", "FEMALE")).as("the complement: the total would give MALE away")
                .containsEntry("suppressed", true);
        assertThat(report.total()).containsEntry("count", 33L).containsEntry("suppressed", false);
    }

    @Test
    void aLineWithAPublishedMarginHidesAtLeastTwoCells() {
        List<Fact> facts = new ArrayList<>();
        facts.addAll(people(20, "FEMALE", "DUSHANBE"));
        facts.addAll(people(15, "FEMALE", "SUGHD"));
        facts.addAll(people(4, "FEMALE", "GBAO"));
        facts.addAll(people(25, "MALE", "DUSHANBE"));
        facts.addAll(people(14, "MALE", "SUGHD"));

        StatisticsReport report = report(facts, "sex,region");

        assertThat(cell(report.margins(), "sex", "FEMALE")).containsEntry("count", 39L);
        long hiddenInFemaleLine = report.cells().stream()
                .filter(c -> c.get("sex").equals("FEMALE") && Boolean.TRUE.equals(c.get("suppressed"))).count();
        assertThat(hiddenInFemaleLine).isGreaterThanOrEqualTo(2);
        assertThat(cell(report.margins(), "region", "GBAO")).containsEntry("suppressed", true);
    }

    @Test
    void peopleAreCasesAndAPersonReferredTwiceIsCountedOnceAmongPeople() {
        List<Fact> facts = new ArrayList<>(people(12, "FEMALE", "DUSHANBE"));
        Fact again = facts.get(0);
        facts.add(new Fact("ngo-hotline", "second-referral", again.caseId(), JANUARY, "PRESUMED_VICTIM", List.of(), "FEMALE",
                "20-24", "TJ", "DUSHANBE", List.of("SHELTER"), Outcome.PENDING, null));

        StatisticsReport report = report(facts, "");

        assertThat(report.total()).containsEntry("count", 13L).containsEntry("people", 12);
    }

    @Test
    void cellsOfTenReferralsOfTheSamePeopleStaySuppressedBelowKPeople() {
        List<Fact> facts = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            facts.add(fact("r" + i, "case-" + (i % 7), "FEMALE", "DUSHANBE"));
        }

        assertThat(report(facts, "").total()).as("14 referrals of 7 people").containsEntry("suppressed", true);
    }

    @Test
    void anUnknownDimensionIsRefusedWithItsOwnCode() {
        assertThatThrownBy(() -> StatisticsQuery.parse("2026-01-01", "2026-04-01", "sex,name", null, null, K11, TODAY))
                .isInstanceOfSatisfying(ReferralBusException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_DIMENSION);
                    assertThat(e.getMessage()).contains("'name'", "ageBand", "exploitation");
                });
    }

    @Test
    void kBelowFiveStopsTheBusAtStartUp() {
        assertThatThrownBy(() -> new StatisticsProperties(4, Granularity.QUARTER, 4, StatisticsFixtures.CUT_OFF)).isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("referral-bus.statistics.k");
        assertThat(new StatisticsProperties(5, Granularity.QUARTER, 4, StatisticsFixtures.CUT_OFF).k()).isEqualTo(5);
    }

    @Test
    void ageBandsNeverStraddleEighteen() {
        assertThat(List.of(AgeBand.of(4), AgeBand.of(15), AgeBand.of(17), AgeBand.of(18), AgeBand.of(19), AgeBand.of(20),
                AgeBand.of(70), AgeBand.of(null))).containsExactly("0-4", "15-17", "15-17", "18-19", "18-19", "20-24", "65+", "UNKNOWN");
        assertThat(List.of(AgeBand.minorOrAdult("15-17"), AgeBand.minorOrAdult("18-19"), AgeBand.minorOrAdult("65+")))
                .containsExactly("MINOR", "ADULT", "ADULT");
    }

    @Test
    void csvHasOneLinePerCellThenMarginsAndTotalWithoutNumbersForSuppressedCells() {
        List<Fact> facts = new ArrayList<>(people(30, "FEMALE", "DUSHANBE"));
        facts.addAll(people(3, "MALE", "DUSHANBE"));
        facts.addAll(people(12, "OTHER", "DUSHANBE"));

        String csv = report(facts, "sex").csv();

        assertThat(csv.split("\r\n")).containsExactly("sex,count,people,suppressed,medianHoursToAcceptance",
                "FEMALE,30,30,false,", "MALE,,,true,", "OTHER,,,true,", "*,45,45,false,");
    }

    static StatisticsReport report(List<Fact> facts, String by) {
        return Statistics.compute(StatisticsQuery.parse("2026-01-01", "2026-04-01", by, null, null, K11, TODAY), facts, K11, StatisticsFixtures.memory(),
                StatisticsFixtures.on(TODAY));
    }

    static Map<String, Object> cell(List<Map<String, Object>> rows, String dimension, String value) {
        return rows.stream().filter(r -> r.size() > 0 && value.equals(r.get(dimension)) && r.keySet().stream()
                .filter(k -> Dimension.byParameter(k).isPresent()).count() == 1).findFirst().orElseThrow();
    }

    static List<Fact> people(int n, String sex, String region) {
        List<Fact> facts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = sex + "-" + region + "-" + i;
            facts.add(fact(id, "case-" + id, sex, region));
        }
        return facts;
    }

    static Fact fact(String id, String caseId, String sex, String region) {
        return new Fact("border-service", id, caseId, JANUARY, "IDENTIFIED_VICTIM", List.of("LABOUR"), sex, "20-24", "TJ", region,
                List.of("SHELTER"), Outcome.PENDING, null);
    }
}
