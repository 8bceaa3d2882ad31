package org.referralbus.audit;

import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.referralbus.audit.AuditCheckpoints.Checkpoint;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Walks the trail by sequence number and reports the first broken link.
 *
 * <p>Implementation note: for each row, in this order: its seq must be the previous seq + 1 (else rows were
 * deleted); its prev_hash must equal the previous row's hash (else it was moved or the row before it was replaced:
 * "reordered" when prev_hash names another row of the trail, "deleted" when it names none); its hash must equal
 * {@link AuditChain#hash} recomputed from its own fields (else it was edited). Then every checkpoint must carry a
 * valid bus signature over its line and name the hash of the row at its seq: this catches a trail rewritten
 * consistently from some row on, or truncated at the end. Every signed tree head must carry a valid bus
 * signature, cover no more rows than the trail holds (else the history was truncated) and have the RFC 6962 root
 * of rows {@code 1..size} as recomputed now (else the history was forked: rewritten after the head was signed).
 * The smallest broken seq wins. Last, when anchors are configured, heads that none witnesses are listed.
 */
public class AuditChainVerifier {

    private final AuditRows rows;
    private final BusSignatures busSignatures;
    private final TreeHeadAnchors anchors;
    private final SharedRun<ChainVerification> shared = new SharedRun<>(this::verifyNow);

    /** Needs only the bus certificate, not its key: anyone holding a copy of the database can run it. */
    public AuditChainVerifier(JdbcTemplate jdbc, X509Certificate busCertificate) {
        this(jdbc, busCertificate, new TreeHeadAnchors(AnchoringProperties.none()));
    }

    /** Also checks the heads against the configured anchors (the authority's certificate, the collected heads file). */
    public AuditChainVerifier(JdbcTemplate jdbc, X509Certificate busCertificate, TreeHeadAnchors anchors) {
        this(jdbc, BusSignatures.of(busCertificate), anchors);
    }

    /** Accepts the signatures of every bus certificate configured (BusSignatures), not only the current one's. */
    public AuditChainVerifier(JdbcTemplate jdbc, BusSignatures busSignatures, TreeHeadAnchors anchors) {
        this.rows = new AuditRows(jdbc);
        this.busSignatures = busSignatures;
        this.anchors = anchors;
    }

    /** False on a database where the bus never ran: there is no trail to verify (and none is created). */
    public boolean trailExists() {
        return rows.trailExists();
    }

    /**
     * Verifies the whole trail. Callers that ask while a verification runs (two auditors' consoles, the API) share
     * its result instead of each reading the trail again at the same time: 14–20 s with 1.8 million rows on the
     * 2-core machine.
     */
    public ChainVerification verify() {
        return shared.get();
    }

    private ChainVerification verifyNow() {
        List<TreeHead> heads = rows.treeHeads();
        Walk walk = new Walk(heads);
        rows.eachRowInPages(walk);
        walk.reachedEnd();
        ChainVerification rows = walk.result();
        ChainVerification result = rows;
        for (ChainVerification signed : new ChainVerification[] {checkCheckpoints(walk.lastSeq), checkTreeHeads(heads, walk)}) {
            if (signed != null && (result.intact() || signed.firstBrokenSeq() < result.firstBrokenSeq())) {
                result = new ChainVerification(false, rows.eventsChecked(), signed.firstBrokenSeq(), signed.reason());
            }
        }
        return anchors.configured() ? result.withUnanchored(anchors.unanchored(heads)) : result;
    }

    /** Each head in turn, smallest first, against the tree the walk grew to its size. */
    private ChainVerification checkTreeHeads(List<TreeHead> heads, Walk walk) {
        for (int i = 0; i < heads.size(); i++) {
            TreeHead head = heads.get(i);
            if (!busSignatures.signed(head.line(), head.signature(), head.at())) {
                return ChainVerification.broken(0, head.treeSize(), busSignatures.signedOutsideValidity(head.line(), head.signature(), head.at())
                        ? outsideValidity("tree head " + head.treeSize(), head.at())
                        : "forged tree head: the signature over tree head " + head.treeSize() + " is not the bus's");
            }
            Subtree tree = walk.trees.get(i);
            if (head.treeSize() > walk.lastSeq || head.treeSize() > tree.size()) {
                return ChainVerification.broken(0, Math.min(walk.lastSeq, tree.size()) + 1, "truncated history: tree head "
                        + head.treeSize() + " is signed but the trail ends at " + walk.lastSeq);
            }
            if (!tree.root().equals(head.rootHash())) {
                return ChainVerification.broken(0, head.treeSize(), "forked history: rows 1.." + head.treeSize()
                        + " do not have the root of their signed tree head");
            }
        }
        return null;
    }

    /** The tree of the rows stored with seq up to a head's size: how many, and their root (hex). */
    private record Subtree(long size, String root) {
    }

    private ChainVerification checkCheckpoints(long lastSeq) {
        List<Checkpoint> all = rows.checkpoints();
        for (Checkpoint checkpoint : all) {
            if (!busSignatures.signed(checkpoint.line(), checkpoint.signature(), checkpoint.at())) {
                return ChainVerification.broken(0, checkpoint.seq(), busSignatures.signedOutsideValidity(checkpoint.line(),
                        checkpoint.signature(), checkpoint.at())
                        ? outsideValidity("checkpoint " + checkpoint.seq(), checkpoint.at())
                        : "forged checkpoint: the signature over checkpoint " + checkpoint.seq() + " is not the bus's");
            }
            if (checkpoint.seq() > lastSeq) {
                return ChainVerification.broken(0, lastSeq + 1, "deleted rows: checkpoint " + checkpoint.seq()
                        + " is signed but the trail ends at " + lastSeq);
            }
            Optional<String> hash = rows.hashAt(checkpoint.seq());
            if (hash.isEmpty() || !hash.get().trim().equals(checkpoint.hash())) {
                return ChainVerification.broken(0, checkpoint.seq(), "rewritten trail: row " + checkpoint.seq()
                        + " does not match its signed checkpoint");
            }
        }
        return null;
    }

    /**
     * One pass over the rows in seq order: checks the chain, and grows the RFC 6962 tree of the rows' stored hashes,
     * taking its root at each head's size (every row counts, also after a broken link, as a head's root is over the
     * rows as stored).
     */
    private final class Walk implements RowCallbackHandler {
        final List<TreeHead> heads;
        final List<Subtree> trees = new ArrayList<>();
        final MerkleTree.Frontier tree = new MerkleTree.Frontier();
        long checked;
        long lastSeq;
        String prevHash = AuditChain.GENESIS;
        Long brokenSeq;
        String reason;

        Walk(List<TreeHead> heads) {
            this.heads = heads;
        }

        /** Takes the root for every head of fewer rows than {@code seq}, before the row {@code seq} joins the tree. */
        private void rootsBefore(long seq) {
            while (trees.size() < heads.size() && heads.get(trees.size()).treeSize() < seq) {
                trees.add(new Subtree(tree.size(), HexFormat.of().formatHex(tree.root())));
            }
        }

        void reachedEnd() {
            rootsBefore(Long.MAX_VALUE);
        }

        @Override
        public void processRow(java.sql.ResultSet rs) throws java.sql.SQLException {
            long seq = rs.getLong("seq");
            rootsBefore(seq);
            if (trees.size() < heads.size()) {
                tree.add(AuditRows.leafOf(rs.getString("hash")));
            }
            if (brokenSeq != null) {
                return;
            }
            checked++;
            String storedPrev = rs.getString("prev_hash").trim();
            String storedHash = rs.getString("hash").trim();
            if (seq != lastSeq + 1) {
                broken(lastSeq + 1, seq > lastSeq + 1
                        ? "deleted rows: sequence jumps from " + lastSeq + " to " + seq
                        : "reordered rows: seq " + seq + " follows " + lastSeq);
                return;
            }
            if (!storedPrev.equals(prevHash)) {
                List<Long> linked = rows.seqsWithHash(storedPrev);
                broken(seq, linked.isEmpty()
                        ? "deleted or replaced row: prev_hash of " + seq + " names no row of the trail"
                        : "reordered rows: row " + seq + " links to row " + linked.get(0) + ", not to " + lastSeq);
                return;
            }
            AuditEventType type = knownType(rs.getString("event_type"));
            if (type == null) {
                broken(seq, "edited row: event type of " + seq + " is not one the bus writes");
                return;
            }
            AuditEvent event = new AuditEvent(type, rs.getString("referral_id"),
                    rs.getString("actor"), rs.getString("counterpart"), trimmed(rs.getString("envelope_sha256")),
                    rs.getString("detail"));
            if (!AuditChain.hash(seq, rs.getObject("at", OffsetDateTime.class), event, storedPrev).equals(storedHash)) {
                broken(seq, "edited row: hash of " + seq + " does not match its content");
                return;
            }
            prevHash = storedHash;
            lastSeq = seq;
        }

        private void broken(long seq, String why) {
            brokenSeq = seq;
            reason = why;
        }

        ChainVerification result() {
            return brokenSeq == null ? ChainVerification.intact(checked) : ChainVerification.broken(checked, brokenSeq, reason);
        }
    }

    private static AuditEventType knownType(String name) {
        for (AuditEventType type : AuditEventType.values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    /** A bus key signed a line dated outside its certificate's validity: said as such, since it is no outsider's forgery. */
    private static String outsideValidity(String line, java.time.OffsetDateTime at) {
        return line + " dated " + at + " is signed by a bus certificate that was not valid then (expired, or not yet valid):"
                + " a bus that went on signing after its certificate expired (renew it: operators.md, \"Things that run out\"),"
                + " or a retired key misused";
    }
}
