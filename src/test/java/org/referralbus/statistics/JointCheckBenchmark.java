package org.referralbus.statistics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.referralbus.core.ReferralBusException;

/**
 * What the joint check costs (issue 17): one quarter of N synthetic referrals ({@link StatisticsFixtures}), then every
 * single dimension and every crossing of two asked one after another against one bus's memory of its answers, as a
 * determined attacker would. Prints the time per query (median, slowest), the refusals and the cells released. A
 * benchmark, not a test: run it by hand (docs/performance.md).
 *
 * <pre>java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" org.referralbus.statistics.JointCheckBenchmark 200</pre>
 */
public final class JointCheckBenchmark {

    private JointCheckBenchmark() {
    }

    public static void main(String[] args) {
        int referrals = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        StatisticsProperties properties = StatisticsFixtures.properties(11);
        LocalDate from = LocalDate.of(2024, 1, 1);
        List<Fact> facts = StatisticsFixtures.facts(17, referrals, from, 90);
        List<String> queries = new ArrayList<>(Dimension.parameters());
        queries.addAll(DifferencingAttackTest.everyPair());
        Releases releases = StatisticsFixtures.memory();
        List<Long> micros = new ArrayList<>();
        int refused = 0;
        for (String by : queries) {
            StatisticsQuery query = StatisticsQuery.parse("2024-01-01", "2024-04-01", by, null, null, properties,
                    LocalDate.of(2026, 6, 15));
            long start = System.nanoTime();
            try {
                Statistics.compute(query, facts, properties, releases, StatisticsFixtures.on(LocalDate.of(2026, 6, 15)));
            } catch (ReferralBusException e) {
                refused++;
            }
            micros.add((System.nanoTime() - start) / 1000);
        }
        List<Long> sorted = micros.stream().sorted().toList();
        System.out.printf("%d referrals in one quarter, %d queries (%d refused), %d cells released%n", facts.size(),
                queries.size(), refused, releases.of(Granularity.QUARTER, from).size());
        System.out.printf("per query: median %.1f ms, slowest %.1f ms, last %.1f ms%n", sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0, micros.get(micros.size() - 1) / 1000.0);
    }
}
