package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

class BrokerReadinessTest {

    private final CountDownLatch brokerAnswers = new CountDownLatch(1);
    private final AtomicInteger checksStarted = new AtomicInteger();
    private final HealthIndicator hangingUntilTheBrokerAnswers = () -> {
        checksStarted.incrementAndGet();
        try {
            brokerAnswers.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Health.up().build();
    };

    @Test
    void aCheckThatDoesNotFinishInTimeIsDownAndIsNotStartedAgainWhileItRuns() {
        BrokerReadiness readiness = new BrokerReadiness(hangingUntilTheBrokerAnswers, Duration.ofMillis(200));
        try {
            long start = System.nanoTime();
            assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(checksStarted).hasValue(1);

            brokerAnswers.countDown();
            assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
        } finally {
            readiness.destroy();
        }
    }

    @Test
    void aFailingCheckIsDown() {
        BrokerReadiness readiness = new BrokerReadiness(() -> {
            throw new IllegalStateException("connection refused");
        }, Duration.ofSeconds(1));
        try {
            assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
        } finally {
            readiness.destroy();
        }
    }
}
