package org.referralbus.system;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded broker's network acceptor, for providers and agencies using CORE or AMQP 1.0 clients. It speaks TLS
 * only and admits a client only on a certificate from the trust anchors ({@code referral-bus.identity.trust-anchors})
 * that a registry lists (see docs/operators.md, "The broker").
 *
 * @param host        interface the acceptor binds
 * @param port        TCP port of the acceptor (CORE and AMQP on one port, TLS only)
 * @param certificate PEM certificate the acceptor shows to clients (its name must match the host clients dial)
 * @param privateKey  PEM (PKCS#8, unencrypted) key of that certificate
 * @param journalBufferTimeout how long the broker's journal gathers writes before one sync covers them all
 *                    ({@code broker.xml}'s {@code journal-buffer-timeout}); a durable send waits for that sync, so
 *                    this is part of every copy's latency. Artemis's default for the NIO journal, 3.33 ms, suits a
 *                    disk that syncs 300 times a second; 1 ms took 1.6 ms off each send here
 *                    (docs/performance-history.md, "Thirteenth pass")
 * @param memoryPerQueue how much of one queue's messages the broker keeps in memory; the rest waits on disk
 *                    (Artemis paging: {@code max-size-bytes} with {@code address-full-policy} PAGE, for every
 *                    address) and is read back in order as consumers take it, no more than this much at a time
 *                    ({@code max-read-page-bytes}, else 20 MB per paging queue). Without it Artemis keeps every message
 *                    in memory until all queues together hold half the heap: for the embedded broker that is the
 *                    bus's own heap, filled by a burst on the intake queue or by the copies of a provider that has
 *                    not fetched for weeks
 */
@Validated
@ConfigurationProperties("referral-bus.broker")
public record BrokerProperties(@DefaultValue("127.0.0.1") @NotBlank String host,
                               @DefaultValue("61616") @Min(0) @Max(65535) int port,
                               @DefaultValue("keys-sample/tls/localhost.crt") @NotNull Path certificate,
                               @DefaultValue("keys-sample/tls/localhost.key") @NotNull Path privateKey,
                               @DefaultValue("1ms") @NotNull Duration journalBufferTimeout,
                               @DefaultValue("4MB") @NotNull DataSize memoryPerQueue) {

    /** Artemis takes the timeout in whole nanoseconds, as an int. */
    private static final Duration LONGEST_BUFFER_TIMEOUT = Duration.ofSeconds(1);
    /** Below a few sealed copies paging would read from disk for nearly every message; above, a queue could take the heap. */
    private static final DataSize SMALLEST_MEMORY_PER_QUEUE = DataSize.ofKilobytes(64);
    private static final DataSize LARGEST_MEMORY_PER_QUEUE = DataSize.ofGigabytes(1);

    public BrokerProperties {
        if (journalBufferTimeout != null && (journalBufferTimeout.isNegative() || journalBufferTimeout.compareTo(LONGEST_BUFFER_TIMEOUT) > 0)) {
            throw new IllegalArgumentException("referral-bus.broker.journal-buffer-timeout must be between 0 and 1s, not "
                    + journalBufferTimeout + " (every durable send waits up to this long)");
        }
        if (memoryPerQueue != null && (memoryPerQueue.toBytes() < SMALLEST_MEMORY_PER_QUEUE.toBytes()
                || memoryPerQueue.toBytes() > LARGEST_MEMORY_PER_QUEUE.toBytes())) {
            throw new IllegalArgumentException("referral-bus.broker.memory-per-queue must be between 64KB and 1GB, not "
                    + memoryPerQueue + " (a queue's messages beyond it wait on disk)");
        }
    }

    /** {@link #journalBufferTimeout} as Artemis takes it. */
    public int journalBufferTimeoutNanos() {
        return (int) journalBufferTimeout.toNanos();
    }
}
