package org.referralbus.audit;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Refusals that a caller can repeat at will (rate-limited requests, refused client certificates, failed console
 * sign-ins) are counted here and written as one audit row per kind, actor and counterpart per window, with the
 * count in the detail ({@code rate_limited;count=137}), instead of one row per request: a flood cannot grow the
 * trail or hold its lock.
 *
 * <p>Implementation note: counts live in a {@link ConcurrentHashMap}; {@code compute} (counting) and {@code remove}
 * (flushing) of one key are atomic with respect to each other, so a refusal counted while the window is flushed
 * lands in this row or in the next, never in neither. A row that cannot be written is put back and retried at the
 * next flush. The window is flushed every {@code referral-bus.audit.refusal-window} and once more when the bus
 * shuts down (after the web server has stopped taking requests). At most {@value #MAX_KEYS} keys are held; beyond
 * that refusals are counted under the actor {@value #OVERFLOW_ACTOR}, so a window's memory is bounded.
 */
@Component
public class RefusalTally {

    static final int MAX_KEYS = 10_000;
    static final String OVERFLOW_ACTOR = "(many)";
    private static final Logger log = LoggerFactory.getLogger(RefusalTally.class);

    private record Key(AuditEventType type, String actor, String counterpart, String detail) {
    }

    private record Count(long refusals, Instant since) {
    }

    private final AuditTrail trail;
    private final Clock clock;
    private final Map<Key, Count> counts = new ConcurrentHashMap<>();

    public RefusalTally(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    /**
     * Counts one refusal; its referral id and envelope hash are not kept (refusals of this kind have none).
     *
     * @return true for the first refusal of its key in this window: the caller logs that one, the flush logs the rest
     */
    public boolean count(AuditEvent refusal) {
        Key key = new Key(refusal.type(), refusal.actor(), refusal.counterpart(), refusal.detail());
        if (counts.size() >= MAX_KEYS && !counts.containsKey(key)) {
            key = new Key(refusal.type(), OVERFLOW_ACTOR, null, refusal.detail());
        }
        Instant now = clock.instant();
        Count after = counts.compute(key, (k, before) -> before == null ? new Count(1, now)
                : new Count(before.refusals() + 1, before.since()));
        return after.refusals() == 1;
    }

    /** Writes one row per key counted since the last flush; returns the number of rows written. */
    @Scheduled(fixedDelayString = "${referral-bus.audit.refusal-window:1m}",
            initialDelayString = "${referral-bus.audit.refusal-window:1m}")
    public int flush() {
        List<Key> keys = new ArrayList<>(counts.keySet());
        int written = 0;
        for (Key key : keys) {
            Count count = counts.remove(key);
            if (count == null) {
                continue;
            }
            try {
                trail.record(new AuditEvent(key.type(), null, key.actor(), key.counterpart(), null,
                        key.detail() + ";count=" + count.refusals()));
                written++;
            } catch (RuntimeException e) {
                counts.merge(key, count, (newer, older) -> new Count(newer.refusals() + older.refusals(), older.since()));
                log.warn("Could not audit {} refusal(s) {} of {}; kept for the next flush ({})", count.refusals(),
                        key.detail(), key.actor(), e.getClass().getSimpleName());
                continue;
            }
            if (count.refusals() > 1) {
                log.info("Refused {} times since {}: {} {} actor={} counterpart={}", count.refusals(), count.since(),
                        key.type(), key.detail(), key.actor(), key.counterpart());
            }
        }
        return written;
    }

    /** The last window's counts reach the trail too. */
    @PreDestroy
    void flushOnShutdown() {
        flush();
    }
}
