package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.support.SampleKeys;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/** Which rows of a real (H2) trail the signer reads: once each, so the head at shutdown is quick after catching up. */
class TreeHeadCatchUpTest {

    @TempDir
    Path dataDir;

    /** Records the seq ranges of the leaf hashes read. */
    static final class LeafReads extends JdbcTemplate {

        final List<String> ranges = new CopyOnWriteArrayList<>();

        LeafReads(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        public void query(String sql, RowCallbackHandler each, Object... arguments) {
            if (sql.equals(AuditRows.LEAF_RANGE)) {
                ranges.add(arguments[0] + ".." + arguments[1]);
            }
            super.query(sql, each, arguments);
        }
    }

    @Test
    void afterCatchingUpWithoutSigningTheNextHeadReadsOnlyTheRowsAddedSince() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            LeafReads reads = new LeafReads(db.dataSource);
            TreeHeads heads = new TreeHeads(reads, new EnvelopeSealer(SampleKeys.privateKey("bus", "bus"), SampleKeys.busCertificate()),
                    Clock.systemUTC(), new TreeHeadAnchors(AnchoringProperties.none()));
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
