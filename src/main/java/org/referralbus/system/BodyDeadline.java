package org.referralbus.system;

import java.time.Duration;
import org.referralbus.core.UploadTooSlow;
import org.referralbus.intake.IntakeProperties.UploadPace;

/**
 * When one request's body must be in, as Apache's {@code mod_reqtimeout} {@code MinRate} counts it: its start, plus
 * the grace, plus one second for every {@code minBytesPerSecond} bytes, never later than the longest a body may take.
 * The bytes counted are those received and the TLS record under way: the server sees a record (up to 16 KB) only
 * whole, so a line of 150 B/s shows nothing for 110 s, then 16 KB at once; without that credit the grace would have to
 * be that long for every body, a sign-in's included. Not thread-safe: one request reads its body on one thread.
 */
final class BodyDeadline {

    /** The most plaintext one TLS record carries (RFC 8446, 5.1). */
    static final int TLS_RECORD_BYTES = 16 * 1024;

    private final long startNanos;
    private final long graceNanos;
    private final int minBytesPerSecond;
    private final long longestNanos;
    private final Duration longest;
    private final long declaredLength;
    private long received;

    BodyDeadline(long startNanos, UploadPace pace, boolean admitted, long declaredLength) {
        this.startNanos = startNanos;
        this.graceNanos = pace.grace().toNanos();
        this.minBytesPerSecond = pace.minBytesPerSecond();
        this.longest = admitted ? pace.maxDuration() : pace.maxDurationWithoutCertificate();
        this.longestNanos = longest.toNanos();
        this.declaredLength = declaredLength;
    }

    void received(int bytes) {
        received += bytes;
    }

    /** Milliseconds left at {@code nowNanos} for the next bytes to arrive; 0 or less once the body is late. */
    long remainingMillis(long nowNanos) {
        return Math.floorDiv(deadlineNanos() - nowNanos, 1_000_000L);
    }

    /** Why the body was refused, for the log and the trail's reader. */
    UploadTooSlow late() {
        if (atRateNanos() >= startNanos + longestNanos) {
            return new UploadTooSlow("it took longer than the longest an upload may take (" + longest + ")");
        }
        return new UploadTooSlow("it arrived slower than " + minBytesPerSecond + " bytes a second on average");
    }

    private long deadlineNanos() {
        return Math.min(atRateNanos(), startNanos + longestNanos);
    }

    private long atRateNanos() {
        long underWay = declaredLength >= 0 ? Math.min(TLS_RECORD_BYTES, Math.max(0, declaredLength - received)) : TLS_RECORD_BYTES;
        double seconds = (double) (received + underWay) / minBytesPerSecond;
        return startNanos + graceNanos + (long) Math.min(seconds * 1e9, Long.MAX_VALUE / 4);
    }
}
