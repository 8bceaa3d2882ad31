package org.referralbus.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.springframework.stereotype.Component;

/**
 * {@code referralbus.reroutes.due} (needs a decline or escalation gave up that no provider holds yet) and
 * {@code referralbus.reroutes.due.oldest.seconds} (how long the oldest has waited). A re-routing normally finishes
 * within a second of its answer; one that stays due past {@link StrandedReroutes}'s next sweeps needs a person.
 * Read from the database at each scrape, so every node reports the shared table.
 */
@Component
class ReroutesDueMetrics {

    private final PendingReroutes pending;
    private final Clock clock;

    ReroutesDueMetrics(PendingReroutes pending, Clock clock, MeterRegistry registry) {
        this.pending = pending;
        this.clock = clock;
        Gauge.builder("referralbus.reroutes.due", this, ReroutesDueMetrics::needs)
                .description("needs due to be re-routed after a decline or escalation").register(registry);
        Gauge.builder("referralbus.reroutes.due.oldest.seconds", this, ReroutesDueMetrics::oldestSeconds)
                .description("how long the oldest re-routing has been due").baseUnit("seconds").register(registry);
    }

    double needs() {
        return pending.backlog().needs();
    }

    double oldestSeconds() {
        return pending.backlog().oldest().map(since -> Duration.between(since, OffsetDateTime.now(clock)).toMillis() / 1000.0).orElse(0.0);
    }
}
