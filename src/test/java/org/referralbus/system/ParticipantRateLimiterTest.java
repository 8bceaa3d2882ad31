package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

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
}
