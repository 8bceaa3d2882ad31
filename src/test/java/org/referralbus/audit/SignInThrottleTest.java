package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {

    private static final AuditProperties.SignInLimits LIMITS =
            new AuditProperties.SignInLimits(3, 10, 10, 30, Duration.ofMinutes(15), 1);

    private Instant now = Instant.parse("2026-12-10T09:00:00Z");
    private final SignInThrottle throttle = new SignInThrottle(LIMITS, new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void theFirstFailuresAreFreeThenEachDoublesTheWait() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("auditor-a", "10.0.0.1");
            assertThat(throttle.waitFor("auditor-a", "10.0.0.1")).isZero();
        }

        throttle.failed("auditor-a", "10.0.0.1");
        assertThat(throttle.waitFor("auditor-a", "10.0.0.1")).isEqualTo(Duration.ofSeconds(1));
        throttle.failed("auditor-a", "10.0.0.1");
        assertThat(throttle.waitFor("auditor-a", "10.0.0.1")).isEqualTo(Duration.ofSeconds(2));
        throttle.failed("auditor-a", "10.0.0.1");
        assertThat(throttle.waitFor("auditor-a", "10.0.0.1")).isEqualTo(Duration.ofSeconds(4));

        now = now.plusSeconds(4);
        assertThat(throttle.waitFor("auditor-a", "10.0.0.1")).isZero();
    }

    @Test
    void anAccountIsLockedAfterItsLimitFromAnyAddressAndTheLockEndsByItself() {
        boolean locked = false;
        for (int i = 0; i < 10; i++) {
            locked = throttle.failed("auditor-a", "10.0.0." + i);
        }

        assertThat(locked).as("the tenth failure locks").isTrue();
        assertThat(throttle.waitFor("auditor-a", "192.168.1.1")).as("from a fresh address too").isEqualTo(Duration.ofMinutes(15));
        assertThat(throttle.waitFor("auditor-b", "192.168.1.1")).as("another account is not affected").isZero();
        assertThat(throttle.waitFor("AUDITOR-A", "192.168.1.1")).as("names are compared without case").isPositive();

        now = now.plus(Duration.ofMinutes(15)).plusSeconds(1);
        assertThat(throttle.waitFor("auditor-a", "192.168.1.1")).isZero();
        throttle.failed("auditor-a", "192.168.1.1");
        assertThat(throttle.waitFor("auditor-a", "192.168.1.1")).as("old failures are forgotten").isZero();
    }

    @Test
    void anAddressSprayingManyNamesIsThrottledAndThenLocked() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("guess-" + i, "10.0.0.9");
        }
        assertThat(throttle.waitFor("guess-new", "10.0.0.9")).isZero();

        throttle.failed("guess-10", "10.0.0.9");
        assertThat(throttle.waitFor("guess-new", "10.0.0.9")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("guess-new", "10.0.0.10")).as("another address is not affected").isZero();

        boolean locked = false;
        for (int i = 11; i < 30; i++) {
            locked = throttle.failed("guess-" + i, "10.0.0.9");
        }
        assertThat(locked).isTrue();
        assertThat(throttle.waitFor("guess-new", "10.0.0.9")).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void unknownNamesAreThrottledExactlyLikeAccounts() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("no-such-auditor", "10.0.0.1");
            throttle.failed("real-auditor", "10.0.0.2");
        }

        assertThat(throttle.waitFor("no-such-auditor", "10.0.0.3")).isEqualTo(throttle.waitFor("real-auditor", "10.0.0.3"));
    }

    @Test
    void aSuccessfulSignInClearsTheAccountAndTheAddress() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("auditor-a", "10.0.0.1");
        }

        throttle.succeeded("auditor-a", "10.0.0.1");

        assertThat(throttle.waitFor("auditor-a", "10.0.0.1")).isZero();
        throttle.failed("auditor-a", "10.0.0.1");
        assertThat(throttle.waitFor("auditor-a", "10.0.0.1")).isZero();
    }
}
