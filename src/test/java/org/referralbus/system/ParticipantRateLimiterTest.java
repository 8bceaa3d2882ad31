package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.referralbus.intake.IntakeProperties;

class ParticipantRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final ParticipantRateLimiter limiter = new ParticipantRateLimiter(
            new IntakeProperties.RateLimit(true, 3, 60), now::get);

    @Test
    void aBurstIsGrantedThenTheParticipantWaitsForTheRefill() {
        assertThat(limiter.acquire("ngo-hotline")).isZero();
        assertThat(limiter.acquire("ngo-hotline")).isZero();
        assertThat(limiter.acquire("ngo-hotline")).isZero();

        assertThat(limiter.acquire("ngo-hotline")).as("retry after, seconds").isEqualTo(1);

        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(limiter.acquire("ngo-hotline")).isZero();
        assertThat(limiter.acquire("ngo-hotline")).isPositive();
    }

    @Test
    void oneParticipantsFloodDoesNotSpendAnothersBudget() {
        for (int i = 0; i < 100; i++) {
            limiter.acquire("ngo-hotline");
        }

        assertThat(limiter.acquire("border-service")).isZero();
    }

    @Test
    void theBucketNeverHoldsMoreThanTheBurst() {
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("iom-mission")).isZero();
        }
        assertThat(limiter.acquire("iom-mission")).isPositive();
    }

    @Test
    void aDisabledLimitGrantsEverything() {
        ParticipantRateLimiter off = new ParticipantRateLimiter(new IntakeProperties.RateLimit(false, 1, 1), now::get);
        for (int i = 0; i < 10; i++) {
            assertThat(off.acquire("ngo-hotline")).isZero();
        }
    }

    /**
     * The bound docs/operators.md states: the limit is per node, so a participant whose requests a load balancer
     * spreads over N nodes gets at most N x (burst + per-minute x minutes), never more. Simulated: 3 nodes, 10
     * minutes of a client asking as fast as it can, round robin.
     */
    @Test
    void perNodeLimitsAllowAtMostNTimesTheBudgetAcrossNNodes() {
        int nodes = 3;
        int burst = 30;
        int perMinute = 60;
        int minutes = 10;
        List<ParticipantRateLimiter> cluster = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            cluster.add(new ParticipantRateLimiter(new IntakeProperties.RateLimit(true, burst, perMinute), now::get));
        }
        long end = now.get() + TimeUnit.MINUTES.toNanos(minutes);
        long granted = 0;
        long grantedByOneNode = 0;
        for (int request = 0; now.get() < end; request++) {
            ParticipantRateLimiter node = cluster.get(request % nodes);
            if (node.acquire("ngo-hotline") == 0) {
                granted++;
                if (node == cluster.get(0)) {
                    grantedByOneNode++;
                }
            }
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(50));
        }

        long perNodeBound = burst + (long) perMinute * minutes;
        assertThat(grantedByOneNode).isBetween(perNodeBound - 1, perNodeBound);
        assertThat(granted).isBetween(nodes * perNodeBound - nodes, nodes * perNodeBound);
        assertThat(granted).as("more than one node's budget: the limit is not shared").isGreaterThan(perNodeBound);
    }
}
