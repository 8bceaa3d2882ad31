package org.referralbus.bench;

import java.util.Map;

/** The figures of one bus configuration (one database) in one benchmark run. */
record BenchRun(String database, double startSeconds, HttpsLoad.Result saturation, int clients, double queuePerSecond,
                int queueReferrals, HttpsLoad.Result halfLoad, double halfRate, long peakHeapMb, long peakRssMb,
                Stored stored) {

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
