package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.RowsRead;
import tools.jackson.databind.json.JsonMapper;

/** The auditor's filtered pages on a real (H2) trail: what a participant filter finds, and how much it reads. */
class AuditQueriesTest {

    @TempDir
    Path dataDir;

    /**
     * 400 rows of others, and rows of legal-aid-khujand: as actor, as counterpart, as both (one row that must count
     * once), and one of another type.
     */
    private static void trail(TrailDatabase db) {
        db.recordEvents(200);
        record(db, AuditEventType.ACKNOWLEDGED, "legal-aid-khujand", null);
        record(db, AuditEventType.DELIVERED, "bus", "legal-aid-khujand");
        db.recordEvents(200, "ngo-hotline");
        record(db, AuditEventType.DELIVERED, "bus", "legal-aid-khujand");
        record(db, AuditEventType.DECLINED, "legal-aid-khujand", "legal-aid-khujand");
        record(db, AuditEventType.DELIVERED, "bus", "legal-aid-khujand");
    }

    private static void record(TrailDatabase db, AuditEventType type, String actor, String counterpart) {
        AuditEvent event = AuditEvent.of(type, UUID.randomUUID().toString(), actor);
        db.trail.record(counterpart == null ? event : event.withCounterpart(counterpart));
    }

    /** Every row of the participant, as one read of the whole trail finds them, in seq order. */
    private static List<Long> everyRowOf(TrailDatabase db, String participant) {
        return db.jdbc.queryForList("SELECT seq FROM audit_event WHERE actor = ? OR counterpart = ? ORDER BY seq", Long.class,
                participant, participant);
    }

    private static List<Long> pagedThrough(AuditQueries queries, AuditFilter filter, int size) {
        List<Long> seqs = new ArrayList<>();
        AuditQueries.Page first = queries.events(filter, 0, size);
        for (int page = 0; page < first.totalPages(); page++) {
            queries.events(filter, page, size).events().forEach(event -> seqs.add(event.seq()));
        }
        assertThat(first.totalEvents()).isEqualTo(seqs.size());
        return seqs;
    }

    @Test
    void aParticipantsPagesHoldEachOfItsRowsOnceInSeqOrderWhicheverWayTheyAreRead() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            trail(db);
            AuditFilter khujand = new AuditFilter(null, "legal-aid-khujand", null, null, null);
            List<Long> expected = everyRowOf(db, "legal-aid-khujand");

            assertThat(expected).hasSize(5);
            assertThat(pagedThrough(new AuditQueries(db.jdbc, new JsonMapper()), khujand, 2)).as("two look-ups, sorted")
                    .isEqualTo(expected);
            assertThat(pagedThrough(new AuditQueries(db.jdbc, new JsonMapper(), 3), khujand, 2)).as("the trail in seq order")
                    .isEqualTo(expected);
            AuditFilter delivered = new AuditFilter(null, "legal-aid-khujand", "DELIVERED", null, null);
            assertThat(new AuditQueries(db.jdbc, new JsonMapper()).events(delivered, 0, 50).totalEvents()).isEqualTo(3);
            assertThat(new AuditQueries(db.jdbc, new JsonMapper()).events(new AuditFilter(null, "ngo-hotline", null, null, null),
                    0, 50).totalEvents()).isEqualTo(200);
        }
    }

    @Test
    void aTimeRangeIsReadThroughItsIndexNotTheWholeTrail() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            trail(db);
            java.time.OffsetDateTime last = db.jdbc.queryForObject("SELECT MAX(at) FROM audit_event", java.time.OffsetDateTime.class);
            AuditFilter lastMoment = new AuditFilter(null, null, null, last, last.plusSeconds(1));
            List<Object> arguments = new ArrayList<>();
            String where = lastMoment.where(arguments);
            List<Object> paged = new ArrayList<>(arguments);
            paged.add(0L);
            paged.add(50);

            RowsRead.assertFewerThan(20, db.jdbc, "SELECT COUNT(*) FROM audit_event" + where, arguments.toArray());
            RowsRead.assertFewerThan(20, db.jdbc, "SELECT seq FROM audit_event" + where + " ORDER BY seq OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                    paged.toArray());
            assertThat(new AuditQueries(db.jdbc, new JsonMapper()).events(lastMoment, 0, 50).events()).isNotEmpty()
                    .allSatisfy(event -> assertThat(event.at()).isEqualTo(last));
        }
    }

    @Test
    void countingAParticipantWithFewRowsReadsThoseRowsNotTheTrail() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            trail(db);
            AuditFilter khujand = new AuditFilter(null, "legal-aid-khujand", null, null, null);
            List<Object> asActor = new ArrayList<>();
            List<Object> asCounterpart = new ArrayList<>();
            String actorWhere = khujand.where(asActor, AuditFilter.ParticipantAs.ACTOR);
            String counterpartWhere = khujand.where(asCounterpart, AuditFilter.ParticipantAs.COUNTERPART_NOT_ACTOR);
            List<Object> both = new ArrayList<>(asActor);
            both.addAll(asCounterpart);
            both.add(0L);
            both.add(50);

            RowsRead.assertFewerThan(20, db.jdbc, "SELECT COUNT(*) FROM audit_event" + actorWhere, asActor.toArray());
            RowsRead.assertFewerThan(20, db.jdbc, "SELECT COUNT(*) FROM audit_event" + counterpartWhere, asCounterpart.toArray());
            RowsRead.assertFewerThan(20, db.jdbc, "SELECT seq FROM (SELECT seq FROM audit_event" + actorWhere
                    + " UNION ALL SELECT seq FROM audit_event" + counterpartWhere + ") either ORDER BY seq OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                    both.toArray());
        }
    }
}
