package org.referralbus.statistics;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.RetryLaterException;
import org.springframework.stereotype.Component;

/**
 * Answers statistics queries from {@code referral_facts} with the suppression of {@link Tabulation}, and leaves an
 * {@code AUDITOR_QUERIED} row naming who asked for which table (never a count).
 *
 * <p>Implementation note: outcomes move after a period is over (providers answer, deadlines pass), so each referral
 * counts with its outcome as it stood at its grid period's cut-off ({@link StatisticsProperties#outcomesFixedAt}),
 * never today's: once the cut-off has passed, a period's outcome cells and acceptance medians are fixed, and asking
 * twice cannot date anyone's outcome. Before it, {@code outcome} is refused for the period and medians are left out.
 */
@Component
public class Statistics {

    /** How long a query waits for the start-up backfill; it takes milliseconds unless a whole database is read once. */
    private static final Duration BACKFILL_WAIT = Duration.ofSeconds(10);

    private final ReferralFacts facts;
    private final Releases releases;
    private final StatisticsProperties properties;
    private final AuditTrail audit;
    private final Clock clock;
    private final FactsBackfill backfill;

    Statistics(ReferralFacts facts, Releases releases, StatisticsProperties properties, AuditTrail audit, Clock clock,
               FactsBackfill backfill) {
        this.facts = facts;
        this.releases = releases;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
        this.backfill = backfill;
    }

    /**
     * Parses and answers a query; a refused one (off the grid, a period not over yet, a crossing that would reveal a
     * small count) leaves an {@code AUDITOR_QUERIED} row with its code too: probing is visible in the trail.
     */
    public StatisticsReport answer(String from, String to, String by, String periods, String ageBands, String askedBy) {
        StatisticsQuery query = null;
        try {
            query = parse(from, to, by, periods, ageBands);
            return report(query, askedBy);
        } catch (ReferralBusException e) {
            String asked = query == null ? "statistics:" : StatisticsReport.describe(query) + ";";
            audit.record(AuditEvent.of(AuditEventType.AUDITOR_QUERIED, null, askedBy)
                    .withDetail(asked + "refused=" + e.errorCode().code()));
            throw e;
        }
    }

    public StatisticsQuery parse(String from, String to, String by, String periods, String ageBands) {
        return StatisticsQuery.parse(from, to, by, periods, ageBands, properties, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    /** One answer at a time: each is checked against every earlier one ({@link JointDisclosure}). */
    public synchronized StatisticsReport report(StatisticsQuery query, String askedBy) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        refuseOutcomesNotFinal(query, properties, now);
        // Facts of earlier referrals may still be missing right after a start: an answer now would count fewer
        // referrals than the same answer later, and the two together could single someone out.
        if (!backfill.awaitComplete(BACKFILL_WAIT)) {
            throw new ReferralBusException(ErrorCode.STATISTICS_NOT_READY, "statistics backfill still running");
        }
        StatisticsReport report = compute(query, facts.receivedBetween(query.from().atStartOfDay().atOffset(ZoneOffset.UTC),
                query.to().atStartOfDay().atOffset(ZoneOffset.UTC)), properties, releases, now);
        audit.record(AuditEvent.of(AuditEventType.AUDITOR_QUERIED, null, askedBy).withDetail(report.describe()));
        return report;
    }

    /**
     * The report over the given facts (all within the query's range), asked at {@code now}, checked against and added to
     * {@code releases}; each fact counts as it stood at its period's outcome cut-off.
     */
    static StatisticsReport compute(StatisticsQuery query, List<Fact> facts, StatisticsProperties properties, Releases releases,
                                    OffsetDateTime now) {
        refuseOutcomesNotFinal(query, properties, now);
        boolean outcomesFinal = !now.isBefore(properties.outcomesFixedAt(query.to()));
        List<Fact> atCutOff = facts.stream().map(f -> f.asOf(properties.outcomeCutOffOf(f.receivedAt()))).toList();
        Tabulation tabulation = new Tabulation(atCutOff, query.periods(), query.minorOrAdult(), properties.k(),
                properties.grid(), releases);
        int medianOver = outcomesFinal ? properties.k() : Integer.MAX_VALUE; // medians only once fixed
        Set<Dimension> asked = Set.copyOf(query.by());
        List<Map<String, Object>> cells = rows(tabulation.table(query.from(), query.to(), asked), query.by(), medianOver);
        List<Map<String, Object>> margins = new ArrayList<>();
        List<Set<Dimension>> subsets = new ArrayList<>(Tabulation.properSubsets(Tabulation.ordered(asked)));
        subsets.sort(Comparator.<Set<Dimension>>comparingInt(Set::size).reversed());
        for (Set<Dimension> subset : subsets) {
            if (!subset.isEmpty()) {
                margins.addAll(rows(tabulation.table(query.from(), query.to(), subset), query.by(), medianOver));
            }
        }
        List<Map<String, Object>> total = rows(tabulation.table(query.from(), query.to(), Set.of()), query.by(), medianOver);
        Map<String, Object> totalRow = total.isEmpty() ? zero() : total.get(0);
        tabulation.recordReleases();
        return new StatisticsReport(query.from(), query.to(), query.by().stream().map(Dimension::parameter).toList(),
                query.periods().parameter(), query.minorOrAdult() ? "minor-adult" : "five-year", properties.k(),
                properties.grid().parameter(), cells, margins, totalRow);
    }

    /**
     * Outcomes of a period are served only once fixed: asked earlier, the same question could get two answers whose
     * difference dates one person's outcome (a PENDING cell going from 63 to 62 after one acceptance).
     */
    private static void refuseOutcomesNotFinal(StatisticsQuery query, StatisticsProperties properties, OffsetDateTime now) {
        OffsetDateTime fixedAt = properties.outcomesFixedAt(query.to());
        if (query.by().contains(Dimension.OUTCOME) && now.isBefore(fixedAt)) {
            throw new RetryLaterException(ErrorCode.OUTCOMES_NOT_FINAL, "outcomes of referrals received before " + query.to()
                    + " are counted as they stood at " + fixedAt + ", the outcome cut-off after their "
                    + properties.grid().parameter() + " ended: ask by outcome from then, or without outcome now",
                    Duration.between(now, fixedAt));
        }
    }

    /** @param k the fewest acceptances a median is published over; {@code Integer.MAX_VALUE} for none */
    private static List<Map<String, Object>> rows(Tabulation.Table table, List<Dimension> order, int k) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map.Entry<List<String>, Tabulation.Cell>> entries = new ArrayList<>(table.cells().entrySet());
        entries.sort(Comparator.comparing(e -> inOrder(table, e.getKey(), order), Tabulation.KEY_ORDER));
        for (Map.Entry<List<String>, Tabulation.Cell> entry : entries) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Dimension dimension : order) {
                int at = table.dimensions().indexOf(dimension);
                if (at >= 0) {
                    row.put(dimension.parameter(), entry.getKey().get(at));
                }
            }
            if (table.suppressed().contains(entry.getKey())) {
                row.put("suppressed", true);
            } else {
                Tabulation.Cell cell = entry.getValue();
                row.put("count", cell.count);
                row.put("people", cell.people.size());
                row.put("suppressed", false);
                Double median = medianHours(cell.toAcceptance, k);
                if (median != null) {
                    row.put("medianHoursToAcceptance", median);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> inOrder(Tabulation.Table table, List<String> key, List<Dimension> order) {
        List<String> values = new ArrayList<>();
        for (Dimension dimension : order) {
            int at = table.dimensions().indexOf(dimension);
            if (at >= 0) {
                values.add(key.get(at));
            }
        }
        return values;
    }

    /** The median, in hours to one decimal, only over k or more acceptances: one person's wait is not published. */
    static Double medianHours(List<Duration> durations, int k) {
        if (durations.size() < k) {
            return null;
        }
        List<Long> seconds = durations.stream().map(Duration::toSeconds).sorted().toList();
        int n = seconds.size();
        double median = n % 2 == 1 ? seconds.get(n / 2) : (seconds.get(n / 2 - 1) + seconds.get(n / 2)) / 2.0;
        return Math.round(median / 360.0) / 10.0;
    }

    private static Map<String, Object> zero() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("count", 0L);
        row.put("people", 0);
        row.put("suppressed", false);
        return row;
    }
}
