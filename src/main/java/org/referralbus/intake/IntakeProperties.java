package org.referralbus.intake;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.referralbus.core.ReplayWindow;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxEnvelopeBytes largest envelope accepted over HTTPS or the intake queue; bounds the memory an attacker can make the bus spend
 * @param replayWindow     how old, or how far in the future, a referral's {@code createdAt} may be: an envelope captured
 *                         and replayed later than this is refused ({@code stale_referral})
 * @param rateLimit        per-participant request budget on the API: one agency cannot starve the others
 * @param addressLimit     per-client-address cap on requests in progress, checked before anything else: one address
 *                         (with or without a certificate) cannot hold all request threads
 * @param anonymousLimit   cap on requests with a body and without an admitted client certificate (the console's
 *                         sign-in, and anyone who can reach the port, even with a revoked or unregistered certificate of
 *                         the CA) in progress at once, over all addresses: registered participants always find a thread
 * @param uploadTimeout    how long a request's body may send nothing before the bus gives up on it ({@code 408
 *                         upload_incomplete}, audited): Tomcat's {@code connectionUploadTimeout}, which applies once the
 *                         headers are in, so only a client that completed the handshake (for the API, with a registered
 *                         certificate) holds a request thread this long. A TLS record is decrypted only whole: at 300 B/s
 *                         one 16 KB record takes about 55 s, hence 2 minutes (docs/operators.md, "Slow lines")
 * @param uploadPace       the pace a whole body must keep, so that a body trickled a byte per silence does not hold a
 *                         request thread for ever ({@code 408 upload_incomplete} as well)
 */
@Validated
@ConfigurationProperties("referral-bus.intake")
public record IntakeProperties(@DefaultValue("5242880") @Min(1024) int maxEnvelopeBytes,
                               @DefaultValue @Valid @NotNull @NestedConfigurationProperty ReplayWindow replayWindow,
                               @DefaultValue @Valid @NotNull RateLimit rateLimit,
                               @DefaultValue @Valid @NotNull AddressLimit addressLimit,
                               @DefaultValue @Valid @NotNull AnonymousLimit anonymousLimit,
                               @DefaultValue("2m") @NotNull Duration uploadTimeout,
                               @DefaultValue @Valid @NotNull UploadPace uploadPace) {

    /** Tomcat takes it in whole milliseconds, as an int; 0 or less would mean no bound at all. */
    private static final Duration LONGEST_UPLOAD_TIMEOUT = Duration.ofHours(1);

    public IntakeProperties {
        if (uploadTimeout != null && (uploadTimeout.toMillis() < 1 || uploadTimeout.compareTo(LONGEST_UPLOAD_TIMEOUT) > 0)) {
            throw new IllegalArgumentException("referral-bus.intake.upload-timeout must be between 1ms and 1h, not "
                    + uploadTimeout + " (a stalled upload holds a request thread this long)");
        }
    }

    /** {@link #uploadTimeout} as Tomcat takes it. */
    public int uploadTimeoutMillis() {
        return (int) uploadTimeout.toMillis();
    }

    /**
     * The pace a request's body must keep as a whole, in the manner of Apache's {@code mod_reqtimeout} {@code MinRate}:
     * the body must be in within {@code grace} plus one second for every {@code minBytesPerSecond} bytes, counting the
     * bytes received and the TLS record under way (up to 16 KB, which the server sees only whole), and never later
     * than {@code maxDuration} after it began ({@code maxDurationWithoutCertificate} for a client without an admitted
     * certificate: the console's sign-in form is a few hundred bytes). A line that keeps sending never meets this;
     * a client that sends a byte now and then does. The upload timeout still bounds each silence.
     *
     * @param grace                          time allowed on top of the rate, for latency and a slow start
     * @param minBytesPerSecond              the slowest average a body may keep: below the slowest line agencies are
     *                                       known to send from (150 B/s, docs/operators.md "Slow lines")
     * @param maxDuration                    the longest any body may take: how long one request thread can be held
     * @param maxDurationWithoutCertificate  the same for a request without an admitted certificate (the sign-in form)
     */
    public record UploadPace(@DefaultValue("20s") @NotNull Duration grace,
                             @DefaultValue("100") @Min(1) int minBytesPerSecond,
                             @DefaultValue("1h") @NotNull Duration maxDuration,
                             @DefaultValue("1m") @NotNull Duration maxDurationWithoutCertificate) {

        /** The defaults above, for code that builds these properties itself (tests, slices). */
        public static final UploadPace DEFAULTS = new UploadPace(Duration.ofSeconds(20), 100, Duration.ofHours(1), Duration.ofMinutes(1));

        public UploadPace {
            if (grace != null && (grace.toMillis() < 1 || grace.compareTo(Duration.ofHours(1)) > 0)) {
                throw new IllegalArgumentException("referral-bus.intake.upload-pace.grace must be between 1ms and 1h, not " + grace);
            }
            for (Duration longest : new Duration[] {maxDuration, maxDurationWithoutCertificate}) {
                if (longest != null && (longest.toMillis() < 1 || longest.compareTo(Duration.ofDays(1)) > 0)) {
                    throw new IllegalArgumentException("referral-bus.intake.upload-pace.max-duration and "
                            + "max-duration-without-certificate must be between 1ms and 1d, not " + longest
                            + " (a trickled body holds a request thread this long)");
                }
            }
        }
    }

    /**
     * Token bucket per participant, kept in memory on each node: with N bus nodes behind a load balancer a
     * participant may get up to N times this budget.
     *
     * @param enabled   off only for load tests
     * @param burst     requests a participant may send at once (bucket size)
     * @param perMinute sustained requests per minute (refill rate)
     */
    public record RateLimit(@DefaultValue("true") boolean enabled,
                            @DefaultValue("30") @Min(1) int burst,
                            @DefaultValue("60") @Min(1) int perMinute) {
    }

    /**
     * Requests in progress at once from one client address (the TCP peer: the bus terminates TLS itself, so there is
     * no proxy header to trust), counted before TLS identity, sign-in or body are looked at. Keep it well under
     * {@code server.tomcat.threads.max}, and above what the busiest address needs (several agencies behind one NAT).
     *
     * @param enabled       off only for load tests
     * @param maxConcurrent requests from one address in progress at once; the next one is answered {@code 429}
     *                      ({@code concurrency_limited}) and its connection closed
     */
    public record AddressLimit(@DefaultValue("true") boolean enabled,
                               @DefaultValue("16") @Min(1) int maxConcurrent) {
    }

    /**
     * Requests with a body and without a client certificate in progress at once, from all addresses together: the
     * console's sign-in, and whatever a stranger sends (a request without a body, such as a health probe, cannot be
     * trickled and is not counted). A certificate that is not admitted (revoked, unregistered, another key, naming no
     * participant) counts as none. Checked before anything else; a body refused to such a client is not drained. Must stay below {@code server.tomcat.threads.max} (checked at start-up): the difference is what
     * certificate holders are sure to find.
     *
     * @param maxConcurrent requests without a certificate in progress at once; the next one is answered {@code 503}
     *                      ({@code anonymous_limited}) and its connection closed
     */
    public record AnonymousLimit(@DefaultValue("16") @Min(1) int maxConcurrent) {
    }
}
