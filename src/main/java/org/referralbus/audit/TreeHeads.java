package org.referralbus.audit;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Optional;
import org.referralbus.envelope.EnvelopeSealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Signs the RFC 6962 tree head of the trail ({@link TreeHead}) and has it anchored outside the bus. Several
 * instances may sign the same size: the first insert wins. Anchoring never blocks signing: a head the authority
 * did not timestamp is retried at the next interval, and the verifier reports heads that stay unanchored.
 */
public class TreeHeads {

    private static final Logger log = LoggerFactory.getLogger(TreeHeads.class);
    private static final int RETRIES_PER_ROUND = 20;

    private final AuditRows rows;
    private final EnvelopeSealer busSealer;
    private final Clock clock;
    private final TreeHeadAnchors anchors;
    private MerkleTree.Frontier frontier = new MerkleTree.Frontier();
    private String lastHash;

    public TreeHeads(JdbcTemplate jdbc, EnvelopeSealer busSealer, Clock clock, TreeHeadAnchors anchors) {
        this.rows = new AuditRows(jdbc);
        this.busSealer = busSealer;
        this.clock = clock;
        this.anchors = anchors;
    }

    /** Signs the tree of the whole trail unless it is empty or a head of its size exists; anchors it. */
    public Optional<TreeHead> take() {
        long size = rows.head().seq();
        if (size == 0 || rows.treeHead(size).isPresent()) {
            return Optional.empty();
        }
        Tree tree = treeOf(size);
        String root = HexFormat.of().formatHex(tree.root());
        OffsetDateTime at = AuditChain.normalise(OffsetDateTime.now(clock));
        TreeHead unsigned = new TreeHead(size, root, at, null, null);
        TreeHead head = new TreeHead(size, root, at, busSealer.signDetached(unsigned.line()), null);
        try {
            rows.insertTreeHead(head, tree.frontier(), tree.lastHash());
        } catch (DuplicateKeyException anotherInstanceWasFaster) {
            return Optional.empty();
        }
        anchors.appendToHeadsFile(head);
        return Optional.of(timestamp(head));
    }

    /**
     * Hashes the trail as it stands, without signing: the first head of a process reads the rows after the latest
     * signed head (every row if no head has a frontier stored), and doing that soon after start keeps the next head,
     * at the latest the one at shutdown, to the rows added since.
     */
    public void catchUp() {
        long size = rows.head().seq();
        if (size > 0) {
            treeOf(size);
        }
    }

    /** The root of a tree, and its frontier and last row's chain hash to store with a head of it. */
    private record Tree(byte[] root, byte[] frontier, String lastHash) {
    }

    /**
     * The tree of rows {@code 1..size}, reading only the rows added since this instance last hashed the trail, or, in
     * a new process, since the latest signed head: rows are never changed, so the subtrees already hashed still hold.
     * If the trail no longer ends as it did (a database restored from a backup, or another one), it starts again from
     * that database's latest head, or from the first row.
     */
    private synchronized Tree treeOf(long size) {
        if (frontier.size() > size || (frontier.size() > 0 && !rows.hashAt(frontier.size()).equals(Optional.of(lastHash)))) {
            frontier = new MerkleTree.Frontier();
        }
        if (frontier.size() == 0) {
            frontier = storedFrontier(size).orElseGet(MerkleTree.Frontier::new);
        }
        rows.eachLeafHash(frontier.size() + 1, size, frontier::add);
        lastHash = rows.hashAt(size).orElseThrow();
        return new Tree(frontier.root(), frontier.packed(), lastHash);
    }

    /**
     * The frontier stored with the latest head of at most {@code size} rows, if the trail still ends there as it did
     * (the row has the chain hash it had, which commits to every row before it), the head bears the bus's signature and
     * the frontier folds to its root: a frontier written by anyone else could make the bus sign roots of rows it never
     * hashed. A head signed under an earlier bus certificate is not used either; the trail is then read once.
     */
    private Optional<MerkleTree.Frontier> storedFrontier(long size) {
        return rows.latestHeadWithFrontier(size)
                .filter(stored -> rows.hashAt(stored.head().treeSize()).equals(Optional.ofNullable(stored.lastHash())))
                .filter(stored -> BusSignatures.of(busSealer.certificate()).signed(stored.head().line(), stored.head().signature(), stored.head().at()))
                .flatMap(stored -> MerkleTree.Frontier.restore(stored.head().treeSize(), stored.frontier())
                        .filter(restored -> HexFormat.of().formatHex(restored.root()).equals(stored.head().rootHash())));
    }

    /** Asks the authority again for heads it has not timestamped yet. */
    public void timestampPending() {
        if (anchors.timestamping()) {
            rows.treeHeadsWithoutTimestamp(RETRIES_PER_ROUND).forEach(this::timestamp);
        }
    }

    public Optional<TreeHead> latest() {
        return rows.latestTreeHead();
    }

    public Optional<TreeHead> ofSize(long treeSize) {
        return rows.treeHead(treeSize);
    }

    private TreeHead timestamp(TreeHead head) {
        if (!anchors.timestamping()) {
            return head;
        }
        try {
            byte[] token = anchors.timestamp(head);
            rows.storeTimestampToken(head.treeSize(), token);
            return head.withTimestampToken(token);
        } catch (RuntimeException e) {
            log.warn("Tree head {} not timestamped yet: {}", head.treeSize(), e.getMessage());
            return head;
        }
    }
}
