package org.referralbus.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.envelope.PemFiles;

/**
 * Puts signed tree heads where the bus cannot take them back ({@link AnchoringProperties}), and tells which heads
 * are anchored.
 *
 * <p>Implementation note: the heads file gets one line per head, {@code <signed line without newline> sig=<base64
 * DER signature>}, appended and forced to disk. A head counts as anchored when its timestamp token verifies under
 * the configured authority certificate for exactly its line, or when the heads file holds a line for exactly that
 * size, root and time. A token that does not verify is treated as no token.
 */
public class TreeHeadAnchors {

    private final AnchoringProperties properties;
    private final TimestampAnchor timestamps;
    private final X509Certificate authority;

    public TreeHeadAnchors(AnchoringProperties properties) {
        this.properties = properties;
        this.timestamps = properties.tsaUrl() == null ? null : new TimestampAnchor(properties.tsaUrl(), properties.timeout());
        this.authority = properties.tsaCertificate() == null ? null : PemFiles.readCertificate(properties.tsaCertificate());
    }

    boolean timestamping() {
        return timestamps != null;
    }

    /** Whether the verifier has anything to check heads against. */
    public boolean configured() {
        return authority != null || properties.headsFile() != null;
    }

    /** The authority's token for the head (throws when it does not answer). */
    byte[] timestamp(TreeHead head) {
        return timestamps.timestamp(head.line());
    }

    void appendToHeadsFile(TreeHead head) {
        if (properties.headsFile() == null) {
            return;
        }
        String line = prefix(head) + "sig=" + Base64.getEncoder().encodeToString(head.signature()) + "\n";
        try (FileChannel file = FileChannel.open(properties.headsFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            file.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            file.force(true);
        } catch (IOException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Cannot append to the heads file "
                    + properties.headsFile() + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** Sizes of the heads that no configured anchor witnesses, in the order given. */
    List<Long> unanchored(List<TreeHead> heads) {
        Set<String> collected = headsFileLines();
        List<Long> unanchored = new ArrayList<>();
        for (TreeHead head : heads) {
            boolean stamped = authority != null && TimestampAnchor.verify(head.timestampToken(), head.line(), authority);
            boolean filed = collected.stream().anyMatch(l -> l.startsWith(prefix(head)));
            if (!stamped && !filed) {
                unanchored.add(head.treeSize());
            }
        }
        return unanchored;
    }

    private Set<String> headsFileLines() {
        if (properties.headsFile() == null || !Files.isRegularFile(properties.headsFile())) {
            return Set.of();
        }
        try {
            return new HashSet<>(Files.readAllLines(properties.headsFile(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Cannot read the heads file " + properties.headsFile(), e);
        }
    }

    private static String prefix(TreeHead head) {
        String line = new String(head.line(), StandardCharsets.US_ASCII);
        return line.substring(0, line.length() - 1) + " ";
    }
}
