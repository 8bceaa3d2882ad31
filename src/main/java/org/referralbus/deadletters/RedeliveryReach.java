package org.referralbus.deadletters;

/**
 * How much may wait ahead of a dead letter that is redelivered on its own. The broker's move walks its parking queue
 * from the oldest message to the match and keeps every paged message it walked past in memory afterwards, until
 * those leave the queue or the broker restarts; for the embedded broker that is the bus's heap. What waits ahead is
 * counted as the messages' body bytes plus {@link #PER_MESSAGE_BYTES} each (Artemis's own estimate adds its headers,
 * properties and references), so a flood of tiny envelopes counts too.
 *
 * @param bytesAhead the most that may wait ahead of the message, estimated as above
 */
public record RedeliveryReach(long bytesAhead) {

    /** What a paged message costs the broker's memory beyond its body, roughly. */
    static final long PER_MESSAGE_BYTES = 1024;
    /**
     * Times {@code memory-per-queue}: what a queue keeps in memory anyway is counted too, so at least three times the
     * bound of paged messages may be walked past. Every move walks from the oldest message, so what all moves keep
     * stays within the reach per parking queue.
     */
    static final int TIMES_MEMORY_PER_QUEUE = 4;

    public RedeliveryReach {
        if (bytesAhead < 0) {
            throw new IllegalArgumentException("The reach of a redelivery cannot be negative: " + bytesAhead);
        }
    }

    /** The bus's reach: {@value #TIMES_MEMORY_PER_QUEUE} times {@code referral-bus.broker.memory-per-queue}. */
    public static RedeliveryReach forMemoryPerQueue(long memoryPerQueueBytes) {
        return new RedeliveryReach(Math.multiplyExact(memoryPerQueueBytes, TIMES_MEMORY_PER_QUEUE));
    }

    /** The estimate for {@code messages} messages of {@code bodyBytes} together. */
    static long estimate(long messages, long bodyBytes) {
        return bodyBytes + messages * PER_MESSAGE_BYTES;
    }
}
