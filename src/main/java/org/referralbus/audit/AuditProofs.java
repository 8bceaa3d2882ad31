package org.referralbus.audit;

import java.util.HexFormat;
import java.util.List;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Inclusion and consistency proofs against signed tree heads, for auditors who check them offline
 * ({@code audit verify-proof}). Proofs are only given for sizes the bus has signed: a proof against an unsigned
 * root proves nothing. Each proof is computed from the stored row hashes: each row up to the head's size is read
 * at most once per request, in pages.
 */
@Component
class AuditProofs {

    private static final HexFormat HEX = HexFormat.of();

    /** The event, its leaf hash and the audit path from it to the root of {@code treeSize}. */
    record InclusionProof(long treeSize, long leafIndex, AuditRecord event, String leafHash, List<String> auditPath) {
    }

    /** The RFC 6962 consistency proof from the head of {@code firstSize} to the head of {@code secondSize}. */
    record ConsistencyProof(long firstSize, long secondSize, List<String> proof) {
    }

    private final AuditRows rows;
    private final TreeHeads heads;

    AuditProofs(JdbcTemplate jdbc, TreeHeads heads) {
        this.rows = new AuditRows(jdbc);
        this.heads = heads;
    }

    /** The latest signed head, or the one of {@code treeSize}. */
    TreeHead head(Long treeSize) {
        return (treeSize == null ? heads.latest() : heads.ofSize(treeSize)).orElseThrow(() -> new ReferralBusException(
                ErrorCode.NOT_FOUND, treeSize == null ? "No tree head is signed yet" : "No tree head of size " + treeSize + " is signed"));
    }

    InclusionProof inclusion(long seq, Long treeSize) {
        TreeHead head = head(treeSize);
        if (seq < 1 || seq > head.treeSize()) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "seq must lie in 1.." + head.treeSize() + " (the tree's size)");
        }
        AuditRecord event = rows.record(seq).orElseThrow(() -> new ReferralBusException(ErrorCode.NOT_FOUND, "No event " + seq));
        byte[] leaf = AuditRows.leafOf(event.hash());
        return new InclusionProof(head.treeSize(), seq - 1, event, HEX.formatHex(leaf),
                hex(MerkleTree.inclusionProof(head.treeSize(), seq - 1, storedLeaves())));
    }

    ConsistencyProof consistency(long firstSize, long secondSize) {
        if (firstSize < 1 || firstSize > secondSize) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "need 1 <= from <= to");
        }
        head(firstSize);
        head(secondSize);
        return new ConsistencyProof(firstSize, secondSize, hex(MerkleTree.consistencyProof(secondSize, firstSize, storedLeaves())));
    }

    /** Roots of ranges of the stored trail, each range read once, in pages: memory does not grow with the trail. */
    private MerkleTree.RangeRoots storedLeaves() {
        return (from, to) -> {
            MerkleTree.Frontier range = new MerkleTree.Frontier();
            rows.eachLeafHash(from + 1, to, range::add);
            if (range.size() != to - from) {
                throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "The trail holds fewer rows than its signed head: run audit verify");
            }
            return range.root();
        };
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }
}
