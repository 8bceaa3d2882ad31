package org.referralbus.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a referral's time goes, step by step: the bus's own step histograms ({@code referralbus_step_duration_seconds},
 * docs/operators.md) read from {@code /actuator/prometheus} as the bus admin before and after a phase, and their
 * difference. A step that calls another route (a {@code to}) includes that route's steps.
 */
final class StepBreakdown {

    private static final Pattern SAMPLE = Pattern.compile(
            "^referralbus_step_duration_seconds_(bucket|sum|count)\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** One step's counters at one moment: calls, seconds in all, and calls at or under each bucket bound. */
    record Step(double count, double seconds, TreeMap<Double, Double> buckets) {
    }

    /** One step's share of a phase: calls per referral, milliseconds per referral, mean and p99 of one call. */
    record Share(String step, double callsPerReferral, double millisPerReferral, double meanMillis, double p99Millis) {
    }

    private final BusAdminClient admin;

    StepBreakdown(BusAdminClient admin) {
        this.admin = admin;
    }

    /** The successful calls of every step so far; empty (and the breakdown skipped) if the bus does not answer. */
    Map<String, Step> read() {
        return admin.get("/actuator/prometheus", Duration.ofSeconds(30)).map(StepBreakdown::parse).orElse(Map.of());
    }

    static Map<String, Step> parse(String metrics) {
        Map<String, double[]> totals = new HashMap<>();
        Map<String, TreeMap<Double, Double>> buckets = new HashMap<>();
        Matcher sample = SAMPLE.matcher(metrics);
        while (sample.find()) {
            Map<String, String> labels = new HashMap<>();
            Matcher label = LABEL.matcher(sample.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            if (!"ok".equals(labels.get("outcome")) || labels.get("step") == null) {
                continue;
            }
            String step = labels.get("step");
            double value = Double.parseDouble(sample.group(3));
            switch (sample.group(1)) {
                case "count" -> totals.computeIfAbsent(step, s -> new double[2])[0] = value;
                case "sum" -> totals.computeIfAbsent(step, s -> new double[2])[1] = value;
                default -> {
                    String le = labels.get("le");
                    buckets.computeIfAbsent(step, s -> new TreeMap<>())
                            .put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value);
                }
            }
        }
        Map<String, Step> steps = new TreeMap<>();
        totals.forEach((step, t) -> steps.put(step, new Step(t[0], t[1], buckets.getOrDefault(step, new TreeMap<>()))));
        return steps;
    }

    /** The steps that ran between the two readings, the most time per referral first. */
    static List<Share> between(Map<String, Step> before, Map<String, Step> after, int referrals) {
        List<Share> shares = new ArrayList<>();
        after.forEach((name, then) -> {
            Step earlier = before.getOrDefault(name, new Step(0, 0, new TreeMap<>()));
            double calls = then.count() - earlier.count();
            if (calls <= 0 || referrals <= 0) {
                return;
            }
            double seconds = then.seconds() - earlier.seconds();
            shares.add(new Share(name, calls / referrals, 1000 * seconds / referrals, 1000 * seconds / calls,
                    1000 * percentile(earlier.buckets(), then.buckets(), calls, 0.99)));
        });
        shares.sort(Comparator.comparingDouble(Share::millisPerReferral).reversed());
        return shares;
    }

    /** The upper bound of the bucket holding the p-th call of the phase (the histogram's resolution, no finer). */
    private static double percentile(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double calls, double p) {
        double wanted = Math.ceil(calls * p);
        for (Map.Entry<Double, Double> bound : after.entrySet()) {
            double within = bound.getValue() - before.getOrDefault(bound.getKey(), 0.0);
            if (within >= wanted) {
                return bound.getKey();
            }
        }
        return Double.NaN;
    }

    static List<String> lines(List<Share> shares, int limit) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "    %-28s %10s %12s %9s %9s", "step", "calls/ref", "ms/referral", "mean ms", "p99 ms"));
        shares.stream().limit(limit).forEach(s -> lines.add(String.format(Locale.ROOT, "    %-28s %10.2f %12.1f %9.1f %9s",
                s.step(), s.callsPerReferral(), s.millisPerReferral(), s.meanMillis(),
                Double.isInfinite(s.p99Millis()) || Double.isNaN(s.p99Millis()) ? "-" : String.format(Locale.ROOT, "≤ %.0f", s.p99Millis()))));
        return lines;
    }
}
