package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.support.SampleKeys;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which rows of a real (H2) trail the signer reads: once each, so the head at shutdown is quick after catching up; and
 * after a restart only those after the latest signed head, whose stored frontier it checks first.
 */
class TreeHeadCatchUpTest {

    @TempDir
    Path dataDir;

    private static TreeHeads newProcess(JdbcTemplate jdbc) {
        return new TreeHeads(jdbc, new EnvelopeSealer(SampleKeys.privateKey("bus", "bus"), SampleKeys.busCertificate()),
                Clock.systemUTC(), new TreeHeadAnchors(AnchoringProperties.none()));
    }

    /** RFC 6962's root of the whole trail, from every row. */
    private static String rootOfEveryRow(TrailDatabase db) {
        List<byte[]> leaves = db.jdbc.queryForList("SELECT hash FROM audit_event ORDER BY seq", String.class).stream()
                .map(hash -> MerkleTree.leafHash(HexFormat.of().parseHex(hash.trim()))).toList();
        return HexFormat.of().formatHex(MerkleTree.root(leaves));
    }

    /** 25 rows under a head signed by another process, then 3 more. */
    private static void headOf25Then3More(TrailDatabase db) {
        db.recordEvents(25);
        newProcess(db.jdbc).take().orElseThrow();
        db.recordEvents(3);
    }

    @Test
    void aRestartedSignerReadsOnlyTheRowsAfterTheLatestSignedHead() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            headOf25Then3More(db);
            TrailRangeReads reads = new TrailRangeReads(db.dataSource);

            TreeHeads restarted = newProcess(reads);
            restarted.catchUp();
            db.recordEvents(2);
            TreeHead head = restarted.take().orElseThrow();

            assertThat(reads.ranges).containsExactly("26..28", "29..30");
            assertThat(head.treeSize()).isEqualTo(30);
            assertThat(head.rootHash()).isEqualTo(rootOfEveryRow(db));
            assertThat(db.verifier.verify().intact()).isTrue();
        }
    }

    @Test
    void aStoredFrontierThatDoesNotFoldToItsHeadsRootIsNotUsed() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            headOf25Then3More(db);
            db.jdbc.update("UPDATE audit_tree_head SET frontier = ? WHERE tree_size = 25", (Object) new byte[32 * 3]);
            TrailRangeReads reads = new TrailRangeReads(db.dataSource);

            TreeHead head = newProcess(reads).take().orElseThrow();

            assertThat(reads.ranges).containsExactly("1..28");
            assertThat(head.rootHash()).isEqualTo(rootOfEveryRow(db));
        }
    }

    @Test
    void aFrontierAndRootWrittenByAnyoneButTheBusAreNotResumedFrom() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            headOf25Then3More(db);
            byte[] forged = new byte[32 * 3];
            java.util.Arrays.fill(forged, (byte) 7);
            String forgedRoot = HexFormat.of().formatHex(MerkleTree.Frontier.restore(25, forged).orElseThrow().root());
            db.jdbc.update("UPDATE audit_tree_head SET frontier = ?, root_hash = ? WHERE tree_size = 25", forged, forgedRoot);
            TrailRangeReads reads = new TrailRangeReads(db.dataSource);

            TreeHead head = newProcess(reads).take().orElseThrow();

            assertThat(reads.ranges).as("the forged head's signature is not the bus's").containsExactly("1..28");
            assertThat(head.rootHash()).isEqualTo(rootOfEveryRow(db));
        }
    }

    @Test
    void afterCatchingUpWithoutSigningTheNextHeadReadsOnlyTheRowsAddedSince() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            TrailRangeReads reads = new TrailRangeReads(db.dataSource);
            TreeHeads heads = newProcess(reads);
            db.recordEvents(25);

            heads.catchUp();

            assertThat(reads.ranges).containsExactly("1..25");
            assertThat(heads.latest()).as("nothing signed").isEmpty();

            db.recordEvents(3);
            TreeHead head = heads.take().orElseThrow();

            assertThat(reads.ranges).containsExactly("1..25", "26..28");
            assertThat(head.treeSize()).isEqualTo(28);
            assertThat(db.verifier.verify().intact()).isTrue();
        }
    }
}
