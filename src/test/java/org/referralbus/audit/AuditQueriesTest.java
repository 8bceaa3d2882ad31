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
    static void trail(TrailDatabase db) {
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

    /** Every event the filter matches, read on from seq 0 with each page's {@code nextAfter} until it is null. */
    static List<Long> readOnThrough(AuditQueries queries, AuditFilter filter, int size) {
        List<Long> seqs = new ArrayList<>();
        Long after = 0L;
        while (after != null) {
            AuditQueries.Page page = queries.eventsAfter(filter, after, size);
            assertThat(page.after()).isEqualTo(after);
            assertThat(page.totalEvents()).as("nothing counted").isNull();
            assertThat(page.page()).isNull();
            if (page.nextAfter() != null) {
                assertThat(page.events()).as("a page before the last is full").hasSize(size);
                assertThat(page.nextAfter()).isEqualTo(page.events().get(size - 1).seq());
            }
            page.events().forEach(event -> seqs.add(event.seq()));
            after = page.nextAfter();
        }
        return seqs;
    }

    /** The filters the API takes, alone and together, over {@link #trail}. */
    static List<AuditFilter> filters(TrailDatabase db) {
        List<java.time.OffsetDateTime> times = db.jdbc.queryForList("SELECT at FROM audit_event WHERE seq IN (100, 300) ORDER BY seq",
                java.time.OffsetDateTime.class);
        String referral = db.jdbc.queryForObject("SELECT referral_id FROM audit_event WHERE seq = 401", String.class);
        return List.of(new AuditFilter(null, null, null, null, null),
                new AuditFilter(null, "legal-aid-khujand", null, null, null),
                new AuditFilter(null, "legal-aid-khujand", "DELIVERED", null, null),
                new AuditFilter(null, "ngo-hotline", null, null, null),
                new AuditFilter(null, "ngo-hotline", null, times.get(0), times.get(1)),
                new AuditFilter(null, null, "ROUTED", null, null),
                new AuditFilter(null, null, "DECLINED", null, null),
                new AuditFilter(null, null, null, times.get(0), times.get(1)),
                new AuditFilter(null, null, "ROUTED", times.get(0), null),
                new AuditFilter(referral, null, null, null, null),
                new AuditFilter(null, "nobody-at-all", null, null, null));
    }

    /** What {@code filter} matches, by one plain read of the trail. */
    static List<Long> matches(TrailDatabase db, AuditFilter filter) {
        List<Object> arguments = new ArrayList<>();
        return db.jdbc.queryForList("SELECT seq FROM audit_event" + filter.where(arguments) + " ORDER BY seq", Long.class,
                arguments.toArray());
    }

    @Test
    void readingOnFromEachPagesLastSeqGivesEveryMatchOnceInSeqOrderWhateverTheFilter() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            trail(db);
            for (AuditFilter filter : filters(db)) {
                List<Long> expected = matches(db, filter);
                for (int bound : new int[] {AuditQueries.SORTED_PARTICIPANT_ROWS, 3}) {
                    AuditQueries queries = new AuditQueries(db.jdbc, new JsonMapper(), bound);
                    assertThat(readOnThrough(queries, filter, 7)).as(filter + ", sorted up to " + bound).isEqualTo(expected);
                    assertThat(pagedThrough(queries, filter, 7)).as(filter + " numbered").isEqualTo(expected);
                }
            }
            AuditQueries queries = new AuditQueries(db.jdbc, new JsonMapper());
            AuditFilter all = new AuditFilter(null, null, null, null, null);
            assertThat(queries.eventsAfter(all, 405, 5).events()).as("after the head").isEmpty();
            assertThat(queries.eventsAfter(all, 400, 5).nextAfter()).as("exactly the last five").isNull();
            assertThat(queries.events(all, 0, 50).nextAfter()).as("a numbered page says where to read on").isEqualTo(50);
            assertThat(queries.events(all, 8, 50).nextAfter()).isNull();
        }
    }

    /**
     * The rows H2 reads for a page after seq 390 of 405, summed over every statement the queries issue: about the page,
     * however deep, where a numbered page at the same depth reads every row before it (and counts them all).
     */
    @Test
    void aPageReadOnFromASeqReadsAboutItsOwnRowsHoweverDeep() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            trail(db);
            RowCountingJdbc counted = new RowCountingJdbc(db.dataSource);
            AuditQueries queries = new AuditQueries(counted, new JsonMapper(), 50);

            AuditFilter all = new AuditFilter(null, null, null, null, null);
            assertThat(counted.readFor(() -> queries.events(all, 78, 5))).as("numbered, for contrast").isGreaterThan(390);
            assertThat(counted.readFor(() -> queries.eventsAfter(all, 390, 5))).isLessThan(10);
            assertThat(counted.readFor(() -> queries.eventsAfter(new AuditFilter(null, null, "ROUTED", null, null), 390, 5)))
                    .as("a frequent type: counted up to 51 (H2 adds the 51 again), then the trail from 390, not the type's index")
                    .isLessThan(150);
            assertThat(counted.readFor(() -> queries.eventsAfter(new AuditFilter(null, "ngo-hotline", null, null, null), 390, 5)))
                    .as("a busy participant, as the type").isLessThan(150);
            assertThat(counted.readFor(() -> queries.eventsAfter(new AuditFilter(null, "legal-aid-khujand", null, null, null), 390, 2)))
                    .as("a participant with few rows: its own").isLessThan(40);
            assertThat(counted.readFor(() -> queries.eventsAfter(new AuditFilter(null, null, "DECLINED", null, null), 390, 5)))
                    .as("a rare type: its index").isLessThan(10);
            List<java.time.OffsetDateTime> lateTimes = db.jdbc.queryForList(
                    "SELECT at FROM audit_event WHERE seq IN (395, 400) ORDER BY seq", java.time.OffsetDateTime.class);
            AuditFilter late = new AuditFilter(null, null, null, lateTimes.get(0), lateTimes.get(1));
            assertThat(counted.readFor(() -> queries.eventsAfter(late, 0, 5)))
                    .as("a short period from the start: its index, not the trail from seq 0 up to it").isLessThan(40);
        }
    }

    /** Runs each query through EXPLAIN ANALYZE first and adds up the rows H2 read for it. */
    static final class RowCountingJdbc extends org.springframework.jdbc.core.JdbcTemplate {

        private int read;

        RowCountingJdbc(javax.sql.DataSource dataSource) {
            super(dataSource);
        }

        int readFor(Runnable queries) {
            read = 0;
            queries.run();
            return read;
        }

        @Override
        public <T> List<T> query(String sql, org.springframework.jdbc.core.RowMapper<T> mapper, Object... arguments) {
            read += RowsRead.read(RowsRead.plan(this, sql, arguments));
            return super.query(sql, mapper, arguments);
        }

        @Override
        public <T> T queryForObject(String sql, Class<T> type, Object... arguments) {
            if (!sql.startsWith("EXPLAIN")) {
                read += RowsRead.read(RowsRead.plan(this, sql, arguments));
            }
            return super.queryForObject(sql, type, arguments);
        }
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
