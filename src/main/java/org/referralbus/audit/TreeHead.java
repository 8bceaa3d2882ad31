package org.referralbus.audit;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A signed tree head: the RFC 6962 root of rows {@code 1..treeSize} of the trail, signed by the bus.
 *
 * <p>Implementation note: the bus signs the canonical line
 * {@code referral-bus audit tree head v1 size=<treeSize> root=<hex root> at=<UTC, microseconds>\n} (ASCII) as a
 * detached CMS SignedData (SHA-256, bus certificate included, DER), so
 * {@code openssl cms -verify -binary -inform DER -content line.txt} checks it too. The RFC 3161 timestamp token,
 * when there is one, is over SHA-256 of the same line. The leaf of row {@code seq} is at index {@code seq - 1}
 * and its data are the 32 raw bytes of the row's chain hash, which commits to every field of the row.
 *
 * @param signature      DER of the detached CMS signature
 * @param timestampToken DER of the RFC 3161 token, null until a time-stamping authority answered
 */
public record TreeHead(long treeSize, String rootHash, OffsetDateTime at, byte[] signature, byte[] timestampToken) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    /** The bytes the bus signed and the authority timestamped. */
    public byte[] line() {
        return ("referral-bus audit tree head v1 size=" + treeSize + " root=" + rootHash + " at="
                + TIME.format(AuditChain.normalise(at)) + "\n").getBytes(StandardCharsets.US_ASCII);
    }


    TreeHead withTimestampToken(byte[] token) {
        return new TreeHead(treeSize, rootHash, at, signature, token);
    }
}
