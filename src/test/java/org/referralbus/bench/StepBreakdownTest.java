package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's step breakdown: the difference of two Prometheus readings, per referral, with the p99's bucket. */
class StepBreakdownTest {

    private static String reading(int openCalls, double openSeconds, int fastOpens, int routeCalls, double routeSeconds) {
        return String.join("\n",
                "# HELP referralbus_step_duration_seconds time spent in one step of the referral flow",
                "referralbus_step_duration_seconds_bucket{application=\"referral-bus\",outcome=\"ok\",step=\"open-envelope\",le=\"0.002\"} " + fastOpens,
                "referralbus_step_duration_seconds_bucket{application=\"referral-bus\",outcome=\"ok\",step=\"open-envelope\",le=\"0.05\"} " + openCalls,
                "referralbus_step_duration_seconds_bucket{application=\"referral-bus\",outcome=\"ok\",step=\"open-envelope\",le=\"+Inf\"} " + openCalls,
                "referralbus_step_duration_seconds_count{application=\"referral-bus\",outcome=\"ok\",step=\"open-envelope\"} " + openCalls,
                "referralbus_step_duration_seconds_sum{application=\"referral-bus\",outcome=\"ok\",step=\"open-envelope\"} " + openSeconds,
                "referralbus_step_duration_seconds_count{application=\"referral-bus\",outcome=\"failed\",step=\"open-envelope\"} 7",
                "referralbus_step_duration_seconds_sum{application=\"referral-bus\",outcome=\"failed\",step=\"open-envelope\"} 9.0",
                "referralbus_step_duration_seconds_count{application=\"referral-bus\",outcome=\"ok\",step=\"deliver-copy\"} " + routeCalls,
                "referralbus_step_duration_seconds_sum{application=\"referral-bus\",outcome=\"ok\",step=\"deliver-copy\"} " + routeSeconds,
                "referralbus_referrals_received_total 12.0", "");
    }

    @Test
    void sharesAreTheDifferenceOfTwoReadingsPerReferralMostTimeFirst() {
        Map<String, StepBreakdown.Step> before = StepBreakdown.parse(reading(10, 0.5, 10, 30, 0.3));
        Map<String, StepBreakdown.Step> after = StepBreakdown.parse(reading(110, 1.5, 108, 330, 3.3));

        List<StepBreakdown.Share> shares = StepBreakdown.between(before, after, 100);

        assertThat(shares).extracting(StepBreakdown.Share::step).containsExactly("deliver-copy", "open-envelope");
        StepBreakdown.Share open = shares.get(1);
        assertThat(open.callsPerReferral()).isCloseTo(1.0, within(1e-9));
        assertThat(open.millisPerReferral()).isCloseTo(10.0, within(1e-9)); // failed calls are not counted
        assertThat(open.p99Millis()).isCloseTo(50.0, within(1e-9)); // 98 of 100 within 2 ms, the 99th only within 50
        StepBreakdown.Share copies = shares.get(0);
        assertThat(copies.callsPerReferral()).isCloseTo(3.0, within(1e-9));
        assertThat(copies.meanMillis()).isCloseTo(10.0, within(1e-9));
        assertThat(copies.p99Millis()).isNaN(); // no buckets: no p99 claimed
    }

    @Test
    void aStepThatDidNotRunInThePhaseIsLeftOut() {
        Map<String, StepBreakdown.Step> same = StepBreakdown.parse(reading(10, 0.5, 10, 30, 0.3));

        assertThat(StepBreakdown.between(same, same, 100)).isEmpty();
        assertThat(StepBreakdown.lines(StepBreakdown.between(same, same, 100), 5)).hasSize(1);
    }
}
