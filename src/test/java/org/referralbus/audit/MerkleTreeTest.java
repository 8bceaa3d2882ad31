package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Certificate Transparency reference vectors (RFC 6962 test data), then every shape up to 40 leaves. */
class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final List<byte[]> CT_LEAVES = Stream.of("", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f").map(h -> MerkleTree.leafHash(HEX.parseHex(h))).toList();
    private static final List<String> CT_ROOTS = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void rootsMatchTheCertificateTransparencyVectors() {
        assertThat(hex(MerkleTree.root(List.of()))).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        for (int n = 1; n <= 8; n++) {
            assertThat(hex(MerkleTree.root(CT_LEAVES.subList(0, n)))).as("root of %d", n).isEqualTo(CT_ROOTS.get(n - 1));
        }
    }

    @Test
    void theFrontierGivesTheSameRootAsTheWholeListAtEverySize() {
        List<byte[]> leaves = new ArrayList<>();
        MerkleTree.Frontier frontier = new MerkleTree.Frontier();
        assertThat(hex(frontier.root())).isEqualTo(hex(MerkleTree.root(leaves)));
        for (int n = 1; n <= 130; n++) {
            byte[] leaf = MerkleTree.leafHash(new byte[] {(byte) n, (byte) (n >> 8)});
            leaves.add(leaf);
            frontier.add(leaf);
            assertThat(frontier.size()).isEqualTo(n);
            assertThat(hex(frontier.root())).as("root of %d", n).isEqualTo(hex(MerkleTree.root(leaves)));
        }
        MerkleTree.Frontier vectors = new MerkleTree.Frontier();
        CT_LEAVES.forEach(vectors::add);
        assertThat(hex(vectors.root())).isEqualTo(CT_ROOTS.get(7));
    }

    @Test
    void inclusionProofsMatchTheCertificateTransparencyVectors() {
        assertThat(inclusionProof(CT_LEAVES, 0)).map(MerkleTreeTest::hex).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(inclusionProof(CT_LEAVES, 5)).map(MerkleTreeTest::hex).containsExactly(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    }

    @Test
    void consistencyProofsMatchTheCertificateTransparencyVectors() {
        assertThat(consistencyProof(CT_LEAVES, 2)).map(MerkleTreeTest::hex).containsExactly(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(consistencyProof(CT_LEAVES.subList(0, 5), 2)).map(MerkleTreeTest::hex).containsExactly(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
        assertThat(consistencyProof(CT_LEAVES, 6)).map(MerkleTreeTest::hex).containsExactly(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    }

    @Test
    void everyInclusionProofVerifiesAndNoAlteredOneDoes() {
        List<byte[]> leaves = leaves(40);
        for (int n = 1; n <= leaves.size(); n++) {
            List<byte[]> tree = leaves.subList(0, n);
            byte[] root = MerkleTree.root(tree);
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = inclusionProof(tree, i);
                assertThat(MerkleTree.verifyInclusion(i, n, tree.get(i), proof, root)).isTrue();
                assertThat(MerkleTree.verifyInclusion(i, n, MerkleTree.leafHash(new byte[] {9}), proof, root)).isFalse();
                if (n < leaves.size()) {
                    byte[] grown = MerkleTree.root(leaves.subList(0, n + 1));
                    assertThat(MerkleTree.verifyInclusion(i, n + 1, tree.get(i), proof, grown)).isFalse();
                }
                if (n > 1) {
                    assertThat(MerkleTree.verifyInclusion((i + 1) % n, n, tree.get(i), proof, root)).isFalse();
                    List<byte[]> altered = new ArrayList<>(proof);
                    altered.set(0, MerkleTree.leafHash(new byte[] {7}));
                    assertThat(MerkleTree.verifyInclusion(i, n, tree.get(i), altered, root)).isFalse();
                }
            }
        }
    }

    @Test
    void everyConsistencyProofVerifiesAndAForkDoesNot() {
        List<byte[]> leaves = leaves(40);
        List<byte[]> fork = new ArrayList<>(leaves);
        for (int n = 1; n <= leaves.size(); n++) {
            byte[] second = MerkleTree.root(leaves.subList(0, n));
            for (int m = 1; m <= n; m++) {
                byte[] first = MerkleTree.root(leaves.subList(0, m));
                List<byte[]> proof = consistencyProof(leaves.subList(0, n), m);
                assertThat(MerkleTree.verifyConsistency(m, n, first, second, proof)).as("%d -> %d", m, n).isTrue();
                fork.set(m - 1, MerkleTree.leafHash(new byte[] {(byte) 200}));
                byte[] forkedFirst = MerkleTree.root(fork.subList(0, m));
                fork.set(m - 1, leaves.get(m - 1));
                assertThat(MerkleTree.verifyConsistency(m, n, forkedFirst, second, proof)).as("fork %d -> %d", m, n).isFalse();
            }
        }
    }

    private static List<byte[]> leaves(int count) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(MerkleTree.leafHash(new byte[] {(byte) i, (byte) (i * 7)}));
        }
        return leaves;
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static List<byte[]> inclusionProof(List<byte[]> leaves, int index) {
        return MerkleTree.inclusionProof(leaves.size(), index, MerkleTree.of(leaves));
    }

    private static List<byte[]> consistencyProof(List<byte[]> leaves, int m) {
        return MerkleTree.consistencyProof(leaves.size(), m, MerkleTree.of(leaves));
    }
}
