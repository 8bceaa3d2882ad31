package org.referralbus.bench;

import java.util.Map;

/** The figures of one bus configuration (one database) in one benchmark run. */
record BenchRun(String database, double startSeconds, HttpsLoad.Result saturation, double busCpuMsPerReferral,
                ThreadCpu.Split busCpuSplit,
                int clients, double queuePerSecond,
                int queueReferrals, HttpsLoad.Result halfLoad, double halfRate, long peakHeapMb, long peakRssMb,
                long databaseMb, Stored stored, double burstPerSecond, int burstReferrals, Prefilled prefilled) {

    /** The same HTTPS saturation after {@code added} more referrals were stored (bench --prefill). */
    record Prefilled(long added, double startSeconds, HttpsLoad.Result saturation, double busCpuMsPerReferral,
                     ThreadCpu.Split busCpuSplit, long databaseMb, Stored stored) {
    }

    BenchRun withPrefilled(Prefilled after) {
        return new BenchRun(database, startSeconds, saturation, busCpuMsPerReferral, busCpuSplit, clients, queuePerSecond, queueReferrals, halfLoad, halfRate,
                peakHeapMb, peakRssMb, databaseMb, stored, burstPerSecond, burstReferrals, after);
    }

    /** Anything sent that the bus refused or does not report delivered, in any phase. */
    boolean lostOrRefused() {
        boolean lost = stored.routed() < stored.sent() || !refusals().isEmpty();
        if (prefilled != null) {
            lost |= prefilled.stored().routed() < prefilled.stored().sent() || prefilled.saturation().accepted() < prefilled.saturation().sent();
        }
        return lost;
    }

    /** What the bus reports afterwards, referral by referral: nothing sent may be missing. */
    record Stored(long sent, long routed, long deliveries) {

        double copiesPerReferral() {
            return routed == 0 ? 0 : (double) deliveries / routed;
        }
    }

    Map<Integer, Integer> refusals() {
        Map<Integer, Integer> refused = new java.util.TreeMap<>(saturation.statuses());
        halfLoad.statuses().forEach((status, n) -> refused.merge(status, n, Integer::sum));
        refused.remove(202);
        return refused;
    }
}
