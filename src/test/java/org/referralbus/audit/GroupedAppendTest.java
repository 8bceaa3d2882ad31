package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several events appended in one transaction extend the same gap-free chain that the verifier and tamper checks read. */
class GroupedAppendTest {

    @TempDir
    Path dataDir;

    TrailDatabase db;

    @BeforeEach
    void open() {
        db = new TrailDatabase(dataDir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void groupedEventsGetConsecutiveSequenceNumbersAndTheChainVerifies() {
        long first = db.trail.record(routed("p0"));
        long last = db.trail.recordAll(List.of(routed("p1"), routed("p2"), routed("p3")));
        long after = db.trail.record(routed("p4"));

        assertThat(last).isEqualTo(first + 3);
        assertThat(after).isEqualTo(last + 1);
        assertThat(db.jdbc.queryForList("SELECT counterpart FROM audit_event WHERE referral_id = 'r-1' ORDER BY seq", String.class))
                .containsExactly("p0", "p1", "p2", "p3", "p4");
        assertThat(db.verifier.verify()).isEqualTo(new ChainVerification(true, after, null, null));
    }

    @Test
    void aTamperedRowInsideAGroupIsReportedAtItsSequence() {
        db.trail.record(routed("p0"));
        long last = db.trail.recordAll(List.of(routed("p1"), routed("p2"), routed("p3")));
        db.jdbc.update("UPDATE audit_event SET counterpart = 'elsewhere' WHERE seq = ?", last - 1);

        ChainVerification result = db.verifier.verify();

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).isEqualTo(last - 1);
    }

    private static AuditEvent routed(String provider) {
        return AuditEvent.of(AuditEventType.ROUTED, "r-1", "border-service").withCounterpart(provider).withDetail("rule:test");
    }
}
