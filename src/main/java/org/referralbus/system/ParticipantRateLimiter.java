package org.referralbus.system;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.referralbus.intake.IntakeProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * One token bucket per participant id, so that a participant flooding the bus spends only its own budget.
 *
 * <p>Implementation note: state lives in this node's memory (a per-node limit: N nodes allow up to N times the
 * budget). Keys are participant ids from certificates of the configured CA, so the map cannot be grown by
 * strangers. Each bucket is guarded by its own monitor; the arithmetic is in nanoseconds of a monotonic clock.
 */
@Component
class ParticipantRateLimiter {

    private final IntakeProperties.RateLimit limit;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Autowired
    ParticipantRateLimiter(IntakeProperties intake) {
        this(intake.rateLimit(), System::nanoTime);
    }

    ParticipantRateLimiter(IntakeProperties.RateLimit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
    }

    /** Takes one token for {@code participantId}; returns 0 if granted, else the seconds to wait (at least 1). */
    long acquire(String participantId) {
        if (!limit.enabled()) {
            return 0;
        }
        return buckets.computeIfAbsent(participantId, id -> new Bucket(limit.burst(), nanoTime.getAsLong()))
                .take(nanoTime.getAsLong());
    }

    private final class Bucket {

        private final double nanosPerToken = TimeUnit.MINUTES.toNanos(1) / (double) limit.perMinute();
        private double tokens;
        private long updatedAt;

        private Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedAt = now;
        }

        synchronized long take(long now) {
            tokens = Math.min(limit.burst(), tokens + (now - updatedAt) / nanosPerToken);
            updatedAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double waitNanos = (1 - tokens) * nanosPerToken;
            return Math.max(1, (long) Math.ceil(waitNanos / TimeUnit.SECONDS.toNanos(1)));
        }
    }
}
