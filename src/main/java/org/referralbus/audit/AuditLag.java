package org.referralbus.audit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.referralbus.audit.AuditCheckpoints.Checkpoint;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How far the signed part of the trail lags behind its head: {@code referralbus.audit.lag.events} (rows appended
 * since the latest signed checkpoint, which an attacker with the database could still rewrite without forging the
 * bus's signature) and {@code referralbus.audit.lag.seconds} (age of that checkpoint; the whole trail's age while
 * none is signed yet, 0 for an empty trail). Read from the database at each scrape, so every node reports the
 * shared trail.
 */
class AuditLag {

    private final AuditRows rows;
    private final Clock clock;

    AuditLag(JdbcTemplate jdbc, Clock clock, MeterRegistry registry) {
        this.rows = new AuditRows(jdbc);
        this.clock = clock;
        Gauge.builder("referralbus.audit.lag.events", this, AuditLag::unsignedEvents)
                .description("audit rows appended since the latest signed checkpoint").register(registry);
        Gauge.builder("referralbus.audit.lag.seconds", this, AuditLag::checkpointAgeSeconds)
                .description("age of the latest signed checkpoint").baseUnit("seconds").register(registry);
    }

    double unsignedEvents() {
        long head = rows.head().seq();
        return head - rows.latestCheckpoint().map(Checkpoint::seq).orElse(0L);
    }

    double checkpointAgeSeconds() {
        Optional<Checkpoint> latest = rows.latestCheckpoint();
        if (latest.isPresent()) {
            if (latest.get().seq() == rows.head().seq()) {
                return 0;
            }
            return Duration.between(latest.get().at(), OffsetDateTime.now(clock)).toMillis() / 1000.0;
        }
        return rows.firstEventAt().map(first -> Duration.between(first, OffsetDateTime.now(clock)).toMillis() / 1000.0).orElse(0.0);
    }
}
