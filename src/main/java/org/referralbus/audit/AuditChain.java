package org.referralbus.audit;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.referralbus.core.Sha256;

/**
 * Implementation note: a row's hash is SHA-256 over the previous row's hash and every field of the row, joined
 * by a separator that cannot occur in them (ids, codes and hashes are [A-Za-z0-9:_.-]). The time is hashed in UTC
 * with microsecond precision, the precision both H2 and PostgreSQL store, so the verifier recomputes the same
 * bytes from what it reads back. The first row's previous hash is 64 zeros.
 */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private AuditChain() {
    }

    public static OffsetDateTime normalise(OffsetDateTime at) {
        return at.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    public static String hash(long seq, OffsetDateTime at, AuditEvent event, String prevHash) {
        String canonical = String.join("\u001f",
                prevHash,
                Long.toString(seq),
                TIME.format(normalise(at)),
                event.type().name(),
                nullToEmpty(event.referralId()),
                nullToEmpty(event.actor()),
                nullToEmpty(event.counterpart()),
                nullToEmpty(event.envelopeSha256()),
                nullToEmpty(event.detail()));
        return Sha256.hex(canonical.getBytes(StandardCharsets.UTF_8));
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
