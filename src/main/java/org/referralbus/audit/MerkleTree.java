package org.referralbus.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * The Merkle tree hash of RFC 6962 (section 2.1), its audit paths and consistency proofs, and their verification
 * (the algorithms of RFC 9162, section 2.1.3.2 and 2.1.4.2).
 *
 * <p>Implementation note: SHA-256; a leaf hash is {@code SHA-256(0x00 || data)}, an interior node
 * {@code SHA-256(0x01 || left || right)}, so a leaf can never pass for a node; the split point of {@code n}
 * leaves is the largest power of two below {@code n}. The trees here take leaf <em>hashes</em>; proofs are
 * lists of node hashes from the leaf (or the old root) upwards. Verification needs nothing but the proof, the
 * sizes and the roots: an auditor can run it without the trail.
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    public static byte[] leafHash(byte[] data) {
        return sha256(new byte[] {0x00}, data);
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        return sha256(new byte[] {0x01}, left, right);
    }

    /** MTH of the given leaf hashes; the empty tree's root is SHA-256 of nothing. */
    public static byte[] root(List<byte[]> leaves) {
        return leaves.isEmpty() ? sha256() : subtree(leaves, 0, leaves.size());
    }

    /**
     * MTH of leaves given one at a time, in memory of O(log n): the roots of the perfect subtrees that make up the
     * tree so far, largest (leftmost) first, as the binary digits of its size say. Adding a leaf merges the equal-sized
     * subtrees on the right; the root folds them from the right, which is MTH's split at the largest power of two.
     */
    static final class Frontier {

        private final List<byte[]> subtrees = new ArrayList<>();
        private long size;

        void add(byte[] leafHash) {
            byte[] node = leafHash;
            for (long s = size; (s & 1) == 1; s >>= 1) {
                node = nodeHash(subtrees.remove(subtrees.size() - 1), node);
            }
            subtrees.add(node);
            size++;
        }

        long size() {
            return size;
        }

        /** The subtree roots, largest first, 32 bytes each: what {@link #restore} takes back. */
        byte[] packed() {
            byte[] packed = new byte[32 * subtrees.size()];
            for (int i = 0; i < subtrees.size(); i++) {
                System.arraycopy(subtrees.get(i), 0, packed, 32 * i, 32);
            }
            return packed;
        }

        /**
         * The frontier of a tree of {@code size} leaves from its {@link #packed} subtree roots, or empty if they cannot
         * be that tree's (one root per binary digit 1 of the size).
         */
        static Optional<Frontier> restore(long size, byte[] packed) {
            if (size < 0 || packed == null || packed.length != 32 * Long.bitCount(size)) {
                return Optional.empty();
            }
            Frontier frontier = new Frontier();
            for (int i = 0; i < packed.length; i += 32) {
                frontier.subtrees.add(Arrays.copyOfRange(packed, i, i + 32));
            }
            frontier.size = size;
            return Optional.of(frontier);
        }

        byte[] root() {
            if (subtrees.isEmpty()) {
                return sha256();
            }
            byte[] root = subtrees.get(subtrees.size() - 1);
            for (int i = subtrees.size() - 2; i >= 0; i--) {
                root = nodeHash(subtrees.get(i), root);
            }
            return root;
        }
    }

    /** The MTH of leaves {@code [from, to)} of one tree, wherever the leaves are kept. */
    interface RangeRoots {

        byte[] root(long from, long to);
    }

    /** The leaves of a list, for trees small enough to hold. */
    static RangeRoots of(List<byte[]> leaves) {
        return (from, to) -> subtree(leaves, (int) from, (int) to);
    }

    /**
     * PATH(index, leaves): the audit path of leaf {@code index} in the tree of {@code size} leaves. One root per level,
     * of the subtree beside the leaf's, so a source that streams its leaves reads each leaf once.
     */
    static List<byte[]> inclusionProof(long size, long index, RangeRoots leaves) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is outside a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(leaves, index, 0, size, path);
        return path;
    }

    /**
     * PROOF(m, leaves): the consistency proof from the tree of the first {@code m} leaves to the tree of {@code size},
     * read as {@link #inclusionProof} reads them.
     */
    static List<byte[]> consistencyProof(long size, long m, RangeRoots leaves) {
        if (m < 1 || m > size) {
            throw new IllegalArgumentException("no consistency proof from size " + m + " to " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        subproof(leaves, m, 0, size, true, proof);
        return proof;
    }

    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    public static boolean verifyConsistency(long m, long n, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
        if (m < 1 || m > n) {
            return false;
        }
        if (m == n) {
            return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
        }
        List<byte[]> path = new ArrayList<>(proof);
        if ((m & (m - 1)) == 0) {
            path.add(0, firstRoot);
        }
        if (path.isEmpty()) {
            return false;
        }
        long fn = m - 1;
        long sn = n - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
    }

    private static byte[] subtree(List<byte[]> leaves, int from, int to) {
        if (to - from == 1) {
            return leaves.get(from);
        }
        int k = (int) split(to - from);
        return nodeHash(subtree(leaves, from, from + k), subtree(leaves, from + k, to));
    }

    private static void path(RangeRoots leaves, long index, long from, long to, List<byte[]> out) {
        if (to - from == 1) {
            return;
        }
        long k = split(to - from);
        if (index < k) {
            path(leaves, index, from, from + k, out);
            out.add(leaves.root(from + k, to));
        } else {
            path(leaves, index - k, from + k, to, out);
            out.add(leaves.root(from, from + k));
        }
    }

    private static void subproof(RangeRoots leaves, long m, long from, long to, boolean complete, List<byte[]> out) {
        long n = to - from;
        if (m == n) {
            if (!complete) {
                out.add(leaves.root(from, to));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(leaves, m, from, from + k, complete, out);
            out.add(leaves.root(from + k, to));
        } else {
            subproof(leaves, m - k, from + k, to, false, out);
            out.add(leaves.root(from, from + k));
        }
    }

    /** The largest power of two strictly below {@code n} (n >= 2). */
    private static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "SHA-256 is mandatory in every JRE", e);
        }
    }
}
