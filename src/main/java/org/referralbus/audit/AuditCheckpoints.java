package org.referralbus.audit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.referralbus.envelope.EnvelopeSealer;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Signs the head of the trail and checks such signatures.
 *
 * <p>Implementation note: a checkpoint is the canonical line
 * {@code referral-bus audit checkpoint v1 seq=<seq> hash=<hash> at=<UTC, microseconds>\n} (ASCII), signed as a
 * detached CMS SignedData (SHA-256, bus certificate included, DER) with the bus key, so
 * {@code openssl cms -verify -binary -inform DER -content line.txt} checks it. The line commits to the hash of row
 * {@code seq}, which commits to every earlier row: whoever rewrites or truncates the trail before a checkpoint
 * must also forge the bus's signature. Several instances may checkpoint the same head: the first insert wins.
 */
public class AuditCheckpoints {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    /** One stored checkpoint. */
    public record Checkpoint(long seq, String hash, OffsetDateTime at, byte[] signature) {
        public byte[] line() {
            return AuditCheckpoints.line(seq, hash, at);
        }
    }

    private final AuditRows rows;
    private final EnvelopeSealer busSealer;
    private final Clock clock;

    public AuditCheckpoints(JdbcTemplate jdbc, EnvelopeSealer busSealer, Clock clock) {
        this.rows = new AuditRows(jdbc);
        this.busSealer = busSealer;
        this.clock = clock;
    }

    static byte[] line(long seq, String hash, OffsetDateTime at) {
        return ("referral-bus audit checkpoint v1 seq=" + seq + " hash=" + hash.trim() + " at="
                + TIME.format(AuditChain.normalise(at)) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Signs the current head unless it is empty or already signed; returns the checkpoint taken, if any. */
    public Optional<Checkpoint> take() {
        AuditRows.Head head = rows.head();
        long seq = head.seq();
        String hash = head.hash();
        if (seq == 0 || rows.checkpointed(seq)) {
            return Optional.empty();
        }
        OffsetDateTime at = AuditChain.normalise(OffsetDateTime.now(clock));
        Checkpoint checkpoint = new Checkpoint(seq, hash, at, busSealer.signDetached(line(seq, hash, at)));
        try {
            rows.insertCheckpoint(checkpoint);
        } catch (DuplicateKeyException anotherInstanceWasFaster) {
            return Optional.empty();
        }
        return Optional.of(checkpoint);
    }

    /** The latest checkpoint, if any. */
    public Optional<Checkpoint> latest() {
        return rows.latestCheckpoint();
    }

}
