package org.referralbus.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * An attacker with every answer of a battery of overlapping queries (ranges shifted by a quarter, dimension sets
 * differing by one dimension, sibling sets that overlap without nesting, the same dimension at two resolutions,
 * every crossing of two dimensions, totals and margins) writes each published count as the sum of the referrals it
 * covers and asks whether any suppressed count is a linear combination of them: every total, difference or
 * total-minus-visible-cells at once. It recovers none. The same attacker against tables that only hide small cells,
 * or against a bus that forgets its earlier answers, recovers some, so the attack is real; a range shifted by one
 * referral is refused before anything is counted.
 */
class DifferencingAttackTest {

    static final int K = 11;
    static final StatisticsProperties PROPERTIES = StatisticsFixtures.properties(K);
    static final LocalDate START = LocalDate.of(2024, 1, 1);
    static final List<Fact> FACTS = StatisticsFixtures.facts(17, 420, START, 730);
    static final LocalDate TODAY = LocalDate.of(2026, 6, 15);

    static final List<String[]> BATTERY = List.of(
            new String[] {"2024-01-01", "2025-01-01", "category,sex"},
            new String[] {"2024-01-01", "2025-01-01", "category"},
            new String[] {"2024-01-01", "2025-01-01", "sex"},
            new String[] {"2024-01-01", "2025-01-01", "category,sex,region"},
            new String[] {"2024-01-01", "2025-01-01", "category,sex,outcome"},
            new String[] {"2024-01-01", "2025-01-01", "category,region,outcome"},
            new String[] {"2024-01-01", "2025-01-01", "sex,region"},
            new String[] {"2024-04-01", "2025-01-01", "category,sex"},
            new String[] {"2024-01-01", "2024-10-01", "category,sex"},
            new String[] {"2024-01-01", "2025-04-01", "category,sex"},
            new String[] {"2024-04-01", "2025-04-01", "category,sex"},
            new String[] {"2024-01-01", "2024-04-01", "category,sex"},
            new String[] {"2024-10-01", "2025-01-01", "category,sex"},
            new String[] {"2024-01-01", "2025-01-01", "period,sex"},
            new String[] {"2024-01-01", "2025-01-01", "nationality,ageBand"},
            new String[] {"2024-01-01", "2025-01-01", "nationality"},
            new String[] {"2024-01-01", "2026-01-01", "sender,exploitation"});

    @Test
    void noSuppressedCountIsRecoveredFromOverlappingQueries() {
        Attacker attacker = new Attacker();
        for (String[] query : BATTERY) {
            attacker.observe(ask(query[0], query[1], query[2]));
        }

        assertThat(attacker.hidden.size()).as("the battery hides cells to attack").isGreaterThan(20);
        assertThat(attacker.published.size()).as("and publishes enough to attack with").isGreaterThan(40);
        assertThat(attacker.recovered()).as("suppressed counts the attacker computes exactly").isEmpty();
    }

    /** Sibling queries: dimension sets that overlap without nesting, the same dimension at two resolutions, ranges. */
    static final List<String[]> SIBLINGS = List.of(
            new String[] {"2024-01-01", "2025-01-01", "category,sex", null, null},
            new String[] {"2024-01-01", "2025-01-01", "sex,region", null, null},
            new String[] {"2024-01-01", "2025-01-01", "category,region", null, null},
            new String[] {"2024-01-01", "2025-01-01", "sex,outcome", null, null},
            new String[] {"2024-01-01", "2025-01-01", "region,outcome", null, null},
            new String[] {"2024-01-01", "2025-01-01", "category,outcome", null, null},
            new String[] {"2024-01-01", "2025-01-01", "sex,ageBand", null, null},
            new String[] {"2024-01-01", "2025-01-01", "sex,ageBand", null, "minor-adult"},
            new String[] {"2024-01-01", "2025-01-01", "ageBand", null, null},
            new String[] {"2024-01-01", "2025-01-01", "ageBand", null, "minor-adult"},
            new String[] {"2024-01-01", "2025-01-01", "nationality,ageBand", null, "minor-adult"},
            new String[] {"2024-01-01", "2025-01-01", "ageBand,region", null, "minor-adult"},
            new String[] {"2024-01-01", "2025-01-01", "period,sex", "month", null},
            new String[] {"2024-01-01", "2025-01-01", "period,sex", "quarter", null},
            new String[] {"2024-01-01", "2025-01-01", "period,sex", "year", null},
            new String[] {"2024-01-01", "2025-01-01", "period,category", "month", null},
            new String[] {"2024-01-01", "2025-01-01", "period,category", "quarter", null},
            new String[] {"2024-01-01", "2024-04-01", "period", "month", null},
            new String[] {"2024-01-01", "2024-04-01", "sex,ageBand", null, null},
            new String[] {"2024-04-01", "2024-07-01", "sex,ageBand", null, null},
            new String[] {"2024-01-01", "2024-07-01", "sex,ageBand", null, "minor-adult"},
            new String[] {"2024-01-01", "2025-01-01", "exploitation,sex", null, null},
            new String[] {"2024-01-01", "2025-01-01", "service,region", null, null},
            new String[] {"2024-01-01", "2025-01-01", "service", null, null});

    @Test
    void noSuppressedCountIsRecoveredFromSiblingQueriesAcrossDimensionsResolutionsAndPeriods() {
        Attacker attacker = new Attacker();
        for (String[] query : SIBLINGS) {
            attacker.observe(ask(query[0], query[1], query[2], query[3], query[4]));
        }

        assertThat(attacker.hidden.size()).as("the siblings hide cells to attack").isGreaterThan(20);
        assertThat(attacker.recovered()).as("suppressed counts the attacker computes exactly").isEmpty();
    }

    @Test
    void everyCrossingOfTwoDimensionsInAQuarterTogetherRecoversNothing() {
        Attacker attacker = new Attacker();
        List<String> refused = new ArrayList<>();
        for (String by : everyPair()) {
            try {
                attacker.observe(ask("2024-10-01", "2025-01-01", by));
            } catch (ReferralBusException e) {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
                refused.add(by);
            }
        }

        assertThat(attacker.hidden.size()).as("hidden cells to attack").isGreaterThan(200);
        assertThat(refused).as("crossings refused because earlier answers already pin them down").hasSizeLessThan(5);
        assertThat(attacker.recovered()).as("suppressed counts the attacker computes exactly").isEmpty();
    }

    @Test
    void aBusThatForgetsItsAnswersLetsTheSameCrossingsRecoverCells() {
        Attacker attacker = new Attacker();
        for (String by : everyPair()) {
            StatisticsQuery query = StatisticsQuery.parse("2024-10-01", "2025-01-01", by, null, null, PROPERTIES, TODAY);
            attacker.observe(Statistics.compute(query, within(query), PROPERTIES, StatisticsFixtures.memory(),
                    StatisticsFixtures.on(TODAY)));
        }

        assertThat(attacker.recovered()).as("each table safe alone, not together").isNotEmpty();
    }

    static List<String> everyPair() {
        List<String> pairs = new ArrayList<>();
        List<String> names = Dimension.parameters();
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                pairs.add(names.get(i) + "," + names.get(j));
            }
        }
        return pairs;
    }

    @Test
    void theSameAttackRecoversCellsFromTablesThatOnlyHideSmallCells() {
        Attacker attacker = new Attacker();
        for (String[] query : BATTERY) {
            attacker.observe(onlySmallCellsHidden(ask(query[0], query[1], query[2])));
        }

        assertThat(attacker.recovered()).as("without complementary suppression, totals and differences reveal cells").isNotEmpty();
    }

    @Test
    void totalMinusTheVisibleCellsOfALineNeverLeavesOneUnknown() {
        StatisticsReport report = ask("2024-01-01", "2025-01-01", "category,sex");
        int linesWithHiddenCells = 0;
        for (Map<String, Object> margin : report.margins()) {
            if (!margin.containsKey("category") || Boolean.TRUE.equals(margin.get("suppressed"))) {
                continue;
            }
            List<Map<String, Object>> line = report.cells().stream().filter(c -> c.get("category").equals(margin.get("category"))).toList();
            long hidden = line.stream().filter(c -> Boolean.TRUE.equals(c.get("suppressed"))).count();
            if (hidden > 0) {
                linesWithHiddenCells++;
                assertThat(hidden).as("suppressed cells in the line of %s", margin.get("category")).isGreaterThanOrEqualTo(2);
            }
        }
        assertThat(linesWithHiddenCells).as("lines to check").isPositive();
    }

    @Test
    void aRangeShiftedByOneReferralIsRefusedBeforeAnythingIsCounted() {
        LocalDate first = FACTS.stream().map(f -> f.receivedAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate())
                .filter(d -> !d.isBefore(LocalDate.of(2024, 4, 1))).min(LocalDate::compareTo).orElseThrow();
        for (String[] range : List.of(new String[] {first.plusDays(1).toString(), "2025-01-01"},
                new String[] {"2024-04-01", first.plusDays(1).toString()},
                new String[] {"2024-02-01", "2025-01-01"},
                new String[] {"2026-01-01", "2026-07-01"})) {
            assertThatThrownBy(() -> ask(range[0], range[1], "category,sex")).as("from=%s to=%s", range[0], range[1])
                    .isInstanceOfSatisfying(ReferralBusException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PERIOD_TOO_FINE));
        }
    }

    @Test
    void aCrossingWhoseMarginsAloneDetermineASmallCellIsRefusedRatherThanShownAsProtected() {
        // In 2024-Q2 the two-dimension margins of this crossing together determine a cell of 9 people (seed 17).
        assertThatThrownBy(() -> ask("2024-01-01", "2025-01-01", "category,sex,service"))
                .isInstanceOfSatisfying(ReferralBusException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    /** What the bus remembers of its answers: one bus per test. */
    final Releases releases = StatisticsFixtures.memory();

    StatisticsReport ask(String from, String to, String by) {
        return ask(from, to, by, null, null);
    }

    StatisticsReport ask(String from, String to, String by, String periods, String ageBands) {
        StatisticsQuery query = StatisticsQuery.parse(from, to, by, periods, ageBands, PROPERTIES, TODAY);
        return Statistics.compute(query, within(query), PROPERTIES, releases, StatisticsFixtures.on(TODAY));
    }

    static List<Fact> within(StatisticsQuery query) {
        return FACTS.stream().filter(f -> {
            LocalDate day = f.receivedAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
            return !day.isBefore(query.from()) && day.isBefore(query.to());
        }).toList();
    }

    /** The same cells, with the true counts, hiding only those of fewer than k people. */
    static StatisticsReport onlySmallCellsHidden(StatisticsReport report) {
        List<List<Map<String, Object>>> parts = new ArrayList<>();
        for (List<Map<String, Object>> rows : List.of(report.cells(), report.margins(), List.of(report.total()))) {
            List<Map<String, Object>> naive = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                List<Fact> covered = covered(report, row);
                Set<String> people = new HashSet<>();
                covered.forEach(f -> people.add(f.caseId()));
                Map<String, Object> copy = new LinkedHashMap<>();
                row.forEach((name, value) -> {
                    if (Dimension.byParameter(name).isPresent()) {
                        copy.put(name, value);
                    }
                });
                if (people.size() < K) {
                    copy.put("suppressed", true);
                } else {
                    copy.put("count", (long) covered.size());
                    copy.put("suppressed", false);
                }
                naive.add(copy);
            }
            parts.add(naive);
        }
        return new StatisticsReport(report.from(), report.to(), report.by(), report.periods(), report.ageBands(), report.k(),
                report.grid(), parts.get(0), parts.get(1), parts.get(2).get(0));
    }

    /** The referrals a row counts: those of its range whose values include the row's. */
    static List<Fact> covered(StatisticsReport report, Map<String, Object> row) {
        Granularity periods = Granularity.valueOf(report.periods().toUpperCase());
        boolean minorOrAdult = report.ageBands().equals("minor-adult");
        return FACTS.stream().filter(fact -> {
            LocalDate day = fact.receivedAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
            if (day.isBefore(report.from()) || !day.isBefore(report.to())) {
                return false;
            }
            for (Map.Entry<String, Object> entry : row.entrySet()) {
                var dimension = Dimension.byParameter(entry.getKey());
                if (dimension.isPresent() && !dimension.get().valuesOf(fact, periods, minorOrAdult).contains(entry.getValue())) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    /** Knows which referrals each count covers (more than a real attacker knows) and every published count. */
    static final class Attacker {
        final LinearSpan known = new LinearSpan();
        final List<long[]> published = new ArrayList<>();
        final Map<String, long[]> hidden = new LinkedHashMap<>();

        void observe(StatisticsReport report) {
            List<Map<String, Object>> rows = new ArrayList<>(report.cells());
            rows.addAll(report.margins());
            rows.add(report.total());
            for (Map<String, Object> row : rows) {
                long[] vector = new long[FACTS.size()];
                covered(report, row).forEach(f -> vector[FACTS.indexOf(f)] = 1);
                if (Boolean.TRUE.equals(row.get("suppressed"))) {
                    assertThat(row).as("a suppressed cell carries no number").doesNotContainKeys("count", "people");
                    hidden.put(report.from() + ".." + report.to() + " " + row, vector);
                } else {
                    assertThat(row.get("count")).as("published count of %s", row).isEqualTo((long) java.util.Arrays.stream(vector).sum());
                    known.add(vector);
                    published.add(vector);
                }
            }
        }

        List<String> recovered() {
            return hidden.entrySet().stream().filter(e -> known.contains(e.getValue())).map(Map.Entry::getKey).toList();
        }
    }
}
