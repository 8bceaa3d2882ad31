package org.referralbus.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The benchmark's summary: one column per database; the last line is the ratio line for the first database. */
final class BenchTable {

    private final PrintWriter out;
    private final int clients;
    private final int queueReferrals;
    private final String busHeap;

    BenchTable(PrintWriter out, int clients, int queueReferrals, String busHeap) {
        this.out = out;
        this.clients = clients;
        this.queueReferrals = queueReferrals;
        this.busHeap = busHeap;
    }

    void print(List<BenchRun> runs, CryptoCeiling.Cost cost, int cores, String loadBefore, String loadAfter) {
        String format = "%-44s" + "%16s".repeat(runs.size()) + "%n";
        out.println();
        out.printf(Locale.ROOT, format, header(runs));
        row(format, "start-up to ready", runs, r -> String.format(Locale.ROOT, "%.1f s", r.startSeconds()));
        row(format, "HTTPS saturation (" + clients + " clients, 4 agencies)", runs, r -> rate(r.saturation().perSecond()));
        row(format, "  latency p50 / p99 at saturation", runs, r -> String.format(Locale.ROOT, "%.0f / %.0f ms",
                r.saturation().percentileMillis(0.50), r.saturation().percentileMillis(0.99)));
        row(format, "  bus CPU per referral at saturation", runs, r -> String.format(Locale.ROOT, "%.1f ms", r.busCpuMsPerReferral()));
        row(format, "    of which JIT compilers / GC", runs, r -> String.format(Locale.ROOT, "%.1f / %.1f ms",
                r.busCpuMsPerReferral() * r.busCpuSplit().jit(), r.busCpuMsPerReferral() * r.busCpuSplit().gc()));
        row(format, "queue intake (" + queueReferrals + " referrals)", runs, r -> queueReferrals == 0 ? "-" : rate(r.queuePerSecond()));
        row(format, "latency at 50 % of saturation: rate", runs, r -> rate(r.halfRate()));
        row(format, "  p50", runs, r -> String.format(Locale.ROOT, "%.0f ms", r.halfLoad().percentileMillis(0.50)));
        row(format, "  p95", runs, r -> String.format(Locale.ROOT, "%.0f ms", r.halfLoad().percentileMillis(0.95)));
        row(format, "  p99", runs, r -> String.format(Locale.ROOT, "%.0f ms", r.halfLoad().percentileMillis(0.99)));
        if (runs.stream().anyMatch(r -> r.burstReferrals() > 0)) {
            row(format, "burst on the intake queue: referrals", runs, r -> Integer.toString(r.burstReferrals()));
            row(format, "  absorbed and delivered at", runs, r -> r.burstReferrals() == 0 ? "-" : rate(r.burstPerSecond()));
        }
        row(format, "peak heap used / -Xmx", runs, r -> r.peakHeapMb() + " MB / " + busHeap);
        row(format, "peak RSS", runs, r -> r.peakRssMb() + " MB");
        row(format, "database on disk at the end", runs, r -> r.databaseMb() + " MB");
        row(format, "sent / delivered (status checked)", runs, r -> r.stored().sent() + " / " + r.stored().routed());
        row(format, "refused (HTTP status: count)", runs, r -> r.refusals().isEmpty() ? "none" : r.refusals().toString());
        if (runs.stream().anyMatch(r -> r.prefilled() != null)) {
            row(format, "referrals added by --prefill", runs, r -> r.prefilled() == null ? "-" : Long.toString(r.prefilled().added()));
            row(format, "  start-up to ready, prefilled", runs, r -> r.prefilled() == null ? "-"
                    : String.format(Locale.ROOT, "%.1f s", r.prefilled().startSeconds()));
            row(format, "  HTTPS saturation, prefilled", runs, r -> r.prefilled() == null ? "-" : rate(r.prefilled().saturation().perSecond()));
            row(format, "  bus CPU per referral, prefilled", runs, r -> r.prefilled() == null ? "-"
                    : String.format(Locale.ROOT, "%.1f ms", r.prefilled().busCpuMsPerReferral()));
            row(format, "    of which JIT compilers / GC", runs, r -> r.prefilled() == null ? "-" : String.format(Locale.ROOT, "%.1f / %.1f ms",
                    r.prefilled().busCpuMsPerReferral() * r.prefilled().busCpuSplit().jit(),
                    r.prefilled().busCpuMsPerReferral() * r.prefilled().busCpuSplit().gc()));
            row(format, "  prefilled / empty", runs, r -> r.prefilled() == null ? "-" : String.format(Locale.ROOT, "%.2f",
                    r.prefilled().saturation().perSecond() / r.saturation().perSecond()));
            row(format, "  CPU per referral, empty / prefilled", runs, r -> r.prefilled() == null ? "-" : String.format(Locale.ROOT, "%.2f",
                    r.busCpuMsPerReferral() / r.prefilled().busCpuMsPerReferral()));
            row(format, "  database on disk at the end, prefilled", runs, r -> r.prefilled() == null ? "-"
                    : r.prefilled().databaseMb() + " MB");
            row(format, "  sent / delivered, prefilled", runs, r -> r.prefilled() == null ? "-"
                    : r.prefilled().stored().sent() + " / " + r.prefilled().stored().routed());
        }
        row(format, "copies sealed per referral", runs, r -> String.format(Locale.ROOT, "%.2f", r.stored().copiesPerReferral()));
        row(format, "crypto ceiling (" + cost.threads() + " threads, same copies)", runs,
                r -> rate(cost.referralsPerSecond(r.stored().copiesPerReferral())));
        row(format, "ratio end-to-end / ceiling", runs, r -> String.format(Locale.ROOT, "%.3f",
                r.saturation().perSecond() / cost.referralsPerSecond(r.stored().copiesPerReferral())));
        out.printf(Locale.ROOT, "crypto per operation on %d busy threads: open %.2f ms, seal %.2f ms, sign %.2f ms (%d rounds)%n",
                cost.threads(), cost.openNanos() / 1e6, cost.sealNanos() / 1e6, cost.signNanos() / 1e6, cost.rounds());
        out.printf(Locale.ROOT, "load average: %s at start, %s at end (%d cores)%n", loadBefore, loadAfter, cores);
        BenchRun first = runs.get(0);
        double end = first.saturation().perSecond();
        double max = cost.referralsPerSecond(first.stored().copiesPerReferral());
        out.printf(Locale.ROOT, "end-to-end %.1f/s, ceiling %.1f/s, ratio %.2f%n", end, max, end / max);
        out.flush();
    }

    private static Object[] header(List<BenchRun> runs) {
        Object[] cells = new Object[runs.size() + 1];
        cells[0] = "";
        for (int i = 0; i < runs.size(); i++) {
            cells[i + 1] = runs.get(i).database();
        }
        return cells;
    }

    private void row(String format, String label, List<BenchRun> runs, java.util.function.Function<BenchRun, String> cell) {
        Object[] cells = new Object[runs.size() + 1];
        cells[0] = label;
        for (int i = 0; i < runs.size(); i++) {
            cells[i + 1] = cell.apply(runs.get(i));
        }
        out.printf(Locale.ROOT, format, cells);
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f/s", perSecond);
    }
}
