package org.referralbus.statistics;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Made-up facts with the skew of a real mechanism: mostly women, a few rare categories, regions and senders. */
final class StatisticsFixtures {

    private StatisticsFixtures() {
    }

    /** Releases kept in memory, as one bus remembers them between queries. */
    static Releases memory() {
        Map<String, Map<String, Boolean>> byPeriod = new HashMap<>();
        return new Releases() {
            @Override
            public List<Release> of(Granularity grid, LocalDate periodStart) {
                List<Release> releases = new ArrayList<>();
                byPeriod.getOrDefault(grid + "/" + periodStart, Map.of()).forEach((p, published) -> releases.add(new Release(p, published)));
                return releases;
            }

            @Override
            public void add(Granularity grid, LocalDate periodStart, Collection<Release> releases) {
                Map<String, Boolean> period = byPeriod.computeIfAbsent(grid + "/" + periodStart, x -> new LinkedHashMap<>());
                releases.forEach(r -> period.putIfAbsent(r.predicate(), r.published()));
            }
        };
    }

    static StatisticsProperties properties(int k) {
        return new StatisticsProperties(k, Granularity.QUARTER, 4, CUT_OFF);
    }

    /** The default outcome cut-off: a period's outcomes are counted as they stood 30 days after it ended. */
    static final Duration CUT_OFF = Duration.ofDays(30);

    /** The moment a query is asked on {@code day}, at midnight UTC. */
    static OffsetDateTime on(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    static List<Fact> facts(long seed, int n, LocalDate from, int days) {
        Random random = new Random(seed);
        List<Fact> facts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            OffsetDateTime at = from.atStartOfDay().atOffset(ZoneOffset.UTC).plusDays(random.nextInt(days)).plusHours(random.nextInt(24));
            // About one referral in six is the same person referred again: it shares an earlier case.
            String caseId = i > 10 && random.nextInt(6) == 0 ? "case-" + random.nextInt(i) : "case-" + i;
            Outcome outcome = pick(random, new Outcome[] {Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.DECLINED,
                    Outcome.ESCALATED, Outcome.PENDING});
            facts.add(new Fact(pick(random, "border-service", "border-service", "labour-migration", "iom-mission", "ngo-hotline"),
                    "ref-" + i, caseId, at,
                    pick(random, "IDENTIFIED_VICTIM", "IDENTIFIED_VICTIM", "PRESUMED_VICTIM", "PRESUMED_VICTIM", "AT_RISK"),
                    random.nextInt(4) == 0 ? List.of() : List.of(pick(random, "LABOUR", "LABOUR", "SEXUAL", "FORCED_MARRIAGE")),
                    pick(random, "FEMALE", "FEMALE", "FEMALE", "MALE", "MALE", "OTHER"),
                    AgeBand.of(14 + random.nextInt(40)),
                    pick(random, "TJ", "TJ", "TJ", "TJ", "UZ", "AF"),
                    pick(random, "DUSHANBE", "DUSHANBE", "SUGHD", "KHATLON", "KHATLON", "GBAO", "RRS"),
                    random.nextBoolean() ? List.of("SHELTER", "MEDICAL") : List.of(pick(random, "LEGAL", "RETURN", "SHELTER")),
                    outcome, outcome == Outcome.ACCEPTED ? at.plusHours(1 + random.nextInt(72)) : null));
        }
        return facts;
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }
}
