package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.RowsRead;

/**
 * A referral's story on a real (H2) trail among other referrals' rows: the rows that name it and the rows of its
 * envelope written before its id was read, in order, found without reading the rest of the trail.
 */
class ReferralStoryTest {

    private static final String ENVELOPE = "a".repeat(64);

    @TempDir
    Path dataDir;
    TrailDatabase db;

    @BeforeEach
    void trail() {
        db = new TrailDatabase(dataDir);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theStoryHoldsTheReferralsRowsAndItsEnvelopesRowsWithoutAnIdAndNothingElse() {
        String referralId = UUID.randomUUID().toString();
        db.recordEvents(150);
        long refused = db.trail.record(AuditEvent.of(AuditEventType.RECEIVED, null, "border-service").withEnvelope(ENVELOPE));
        db.trail.record(AuditEvent.of(AuditEventType.RECEIVED, null, "border-service").withEnvelope("b".repeat(64)));
        db.recordEvents(150);
        long received = db.trail.record(AuditEvent.of(AuditEventType.RECEIVED, referralId, "border-service").withEnvelope(ENVELOPE));
        db.recordEvents(50);
        long routed = db.trail.record(AuditEvent.of(AuditEventType.ROUTED, referralId, "border-service").withCounterpart("shelter-dushanbe"));

        assertThat(new AuditRows(db.jdbc).story(referralId)).extracting(AuditRecord::seq).containsExactly(refused, received, routed);
        RowsRead.assertFewerThan(20, db.jdbc, AuditRows.STORY, referralId, referralId);
    }
}
