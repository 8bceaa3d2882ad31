package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.core.Sha256;
import org.referralbus.support.RowsRead;
import org.referralbus.support.StatementCounter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The console's view of referrals, projected from a real trail (H2, and PostgreSQL when reachable): each referral's
 * progress as its rows say, kept up to date by folding only the rows appended since the last request, in pages, and
 * the same when rebuilt from row 1.
 */
class ReferralProgressProjectionTest {

    private static final String ENVELOPE = "e".repeat(64);
    /** Small, so the scenario's rows span several pages. */
    private static final int PAGE = 7;

    @TempDir
    Path dataDir;

    @Test
    void theProgressOfEachReferralFollowsItsRowsOnH2() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            scenario(db);
            long from = new ReferralProgressStore(db.jdbc).lockPosition();
            db.recordEvents(3);
            // The next request reads the rows after the position: a range of the primary key, not the trail.
            RowsRead.assertFewerThan(10, db.jdbc, AuditRows.REFERRAL_ROWS, from, from + ReferralProgressProjection.PAGE,
                    AuditEventType.AUDITOR_QUERIED.name(), AuditEventType.CONFIGURATION_CHANGED.name());
            // A whole referral id is one look-up of the key, not a read of every referral's text.
            String id = db.jdbc.queryForObject("SELECT MIN(referral_id) FROM referral_progress", String.class);
            RowsRead.assertFewerThan(3, db.jdbc, ReferralProgressStore.BY_ID, id, id.toUpperCase());
        }
    }

    @Test
    void aWholeIdStoredInMixedCaseIsStillFoundByAnyCase() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            String mixed = "AbCdEf01-2345-6789-aBcD-0123456789eF";
            record(db, AuditEventType.VALIDATED, mixed, "border-service", null, null);
            ConsoleOverview console = new ConsoleOverview(new ReferralProgressProjection(db.jdbc, new ReferralProgressStore(db.jdbc),
                    new DataSourceTransactionManager(db.dataSource)), new ReferralProgressStore(db.jdbc), Clock.systemUTC());

            assertThat(console.search(mixed.toLowerCase())).extracting(ReferralProgress::referralId).containsExactly(mixed);
            assertThat(console.search(mixed.toUpperCase())).extracting(ReferralProgress::referralId).containsExactly(mixed);
            assertThat(console.search("0123456789ef")).extracting(ReferralProgress::referralId).containsExactly(mixed);
        }
    }

    @Test
    void theProgressOfEachReferralFollowsItsRowsOnPostgres() throws Throwable {
        onPostgres(this::scenario);
    }

    /** Runs {@code test} on a throwaway schema of the local PostgreSQL; skipped when none is reachable. */
    private static void onPostgres(ThrowingConsumer<TrailDatabase> test) throws Throwable {
        try (ThrowawayPostgresSchema schema = ThrowawayPostgresSchema.named("progress_test_");
             TrailDatabase db = schema.open()) {
            test.accept(db);
        }
    }

    /**
     * H2 keeps every statement text a connection runs in its cache and walks them all on each transaction's first write
     * to a table: a text per list length (IN lists built to a page's referrals) made a busy bus's writes slower for as
     * long as it ran. Folds of 2, 5 and 7 referrals run no text the first did not, and the look-ups use the indexes.
     */
    @Test
    void foldsOfAnySizeRunTheSameStatementsThroughTheIndexesOnH2() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            StatementCounter counter = new StatementCounter();
            javax.sql.DataSource counted = (javax.sql.DataSource) counter.postProcessAfterInitialization(db.dataSource, "dataSource");
            JdbcTemplate jdbc = new JdbcTemplate(counted);
            ReferralProgressProjection projection = new ReferralProgressProjection(jdbc, new ReferralProgressStore(jdbc),
                    new DataSourceTransactionManager(counted), 1_000);
            List<Set<String>> textsPerFold = new ArrayList<>();
            for (int referrals : new int[] {2, 5, 7}) {
                for (int i = 0; i < referrals; i++) {
                    String envelope = Sha256.hex(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                    db.trail.record(AuditEvent.of(AuditEventType.RECEIVED, null, "border-service").withEnvelope(envelope));
                    record(db, AuditEventType.VALIDATED, UUID.randomUUID().toString(), "border-service", null, envelope);
                }
                counter.start();
                projection.catchUp();
                counter.stop();
                textsPerFold.add(counter.bySql().keySet());
            }
            assertThat(textsPerFold.get(0)).as("a fold runs the statements that look up its referrals")
                    .contains(AuditRows.FIRST_RECEIVED, ReferralProgressStore.BY_IDS);
            // Later folds add no text (the first also inserts the day's count, which they update).
            assertThat(textsPerFold.get(1)).isSubsetOf(textsPerFold.get(0));
            assertThat(textsPerFold.get(2)).isSubsetOf(textsPerFold.get(0));

            List<String> envelopes = db.jdbc.queryForList("SELECT envelope_sha256 FROM audit_event WHERE event_type = 'RECEIVED'",
                    String.class);
            // Two envelopes' rows (RECEIVED and VALIDATED each) through audit_by_envelope, not the trail's 28.
            RowsRead.assertFewerThan(6, db.jdbc, AuditRows.FIRST_RECEIVED, envelopes.subList(0, 2).toArray(String[]::new),
                    AuditEventType.RECEIVED.name());
            List<String> ids = db.jdbc.queryForList("SELECT referral_id FROM referral_progress", String.class);
            RowsRead.assertFewerThan(4, db.jdbc, ReferralProgressStore.BY_IDS, (Object) ids.subList(0, 2).toArray(String[]::new));
        }
    }

    @Test
    void twoNodesFoldingAtOnceFoldEachRowOnceOnH2() throws Exception {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            twoNodesFoldAtOnce(db);
        }
    }

    @Test
    void twoNodesFoldingAtOnceFoldEachRowOnceOnPostgres() throws Throwable {
        onPostgres(ReferralProgressProjectionTest::twoNodesFoldAtOnce);
    }

    /** Two projections (two nodes) fold the same trail at the same time, in small pages: each row once. */
    private static void twoNodesFoldAtOnce(TrailDatabase db) throws Exception {
        db.recordEvents(300);
        String referralId = UUID.randomUUID().toString();
        record(db, AuditEventType.DELIVERED, referralId, "bus", "shelter-dushanbe", null);
        db.recordEvents(100);
        record(db, AuditEventType.DELIVERED, referralId, "bus", "medical-dushanbe", null);
        ReferralProgressStore store = new ReferralProgressStore(db.jdbc);
        var transactions = new DataSourceTransactionManager(db.dataSource);
        ReferralProgressProjection one = new ReferralProgressProjection(db.jdbc, store, transactions, PAGE);
        ReferralProgressProjection other = new ReferralProgressProjection(db.jdbc, store, transactions, PAGE);

        var nodes = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = nodes.submit(one::catchUp);
            var second = nodes.submit(other::catchUp);
            assertThat(first.get()).isEqualTo(402);
            assertThat(second.get()).isEqualTo(402);
        } finally {
            nodes.shutdown();
        }
        assertThat(store.newest(1_000)).hasSize(401);
        assertThat(store.find(List.of(referralId)).get(referralId).providers())
                .containsExactly("shelter-dushanbe", "medical-dushanbe");
    }

    private void scenario(TrailDatabase db) {
        ReferralProgressStore store = new ReferralProgressStore(db.jdbc);
        ConsoleOverview console = new ConsoleOverview(
                new ReferralProgressProjection(db.jdbc, store, new DataSourceTransactionManager(db.dataSource), PAGE),
                store, Clock.systemUTC());
        db.recordEvents(20, "ngo-hotline");
        long received = db.trail.record(AuditEvent.of(AuditEventType.RECEIVED, null, "border-service").withEnvelope(ENVELOPE));
        db.recordEvents(10, "ngo-hotline");
        String answered = UUID.randomUUID().toString();
        String waiting = UUID.randomUUID().toString();
        String rejected = UUID.randomUUID().toString();
        record(db, AuditEventType.VALIDATED, answered, "border-service", null, ENVELOPE);
        record(db, AuditEventType.ROUTED, answered, "border-service", "shelter-dushanbe", null);
        record(db, AuditEventType.DELIVERED, answered, "bus", "shelter-dushanbe", null);
        record(db, AuditEventType.DELIVERED, answered, "bus", "medical-dushanbe", null);
        record(db, AuditEventType.VALIDATED, waiting, "border-service", null, null);
        record(db, AuditEventType.DELIVERED, waiting, "bus", "legal-aid-khujand", null);
        record(db, AuditEventType.REJECTED, rejected, "ngo-hotline", null, null);
        record(db, AuditEventType.ACKNOWLEDGED, answered, "shelter-dushanbe", null, null);

        assertThat(console.search("")).hasSize(SEARCH_ALL).extracting(ReferralProgress::referralId).contains(answered, waiting, rejected);
        ReferralProgress first = only(console.search(answered.toUpperCase()));
        assertThat(first.sender()).isEqualTo("border-service");
        assertThat(first.receivedAt()).as("its envelope's RECEIVED row, before its id was known").isEqualTo(atOf(db, received));
        assertThat(first.providers()).containsExactly("shelter-dushanbe", "medical-dushanbe");
        assertThat(first.awaiting()).containsExactly("medical-dushanbe");
        assertThat(first.accepted()).isNotNull();
        assertThat(first.lastStep()).isEqualTo("ACKNOWLEDGED");
        assertThat(console.stuck(Duration.ZERO)).extracting(ReferralProgress::referralId).contains(answered, waiting)
                .doesNotContain(rejected);

        // Rows appended after a request are folded into the progress already stored.
        record(db, AuditEventType.DECLINED, answered, "medical-dushanbe", null, null);
        record(db, AuditEventType.ACKNOWLEDGED, waiting, "legal-aid-khujand", null, null);
        assertThat(console.stuck(Duration.ZERO)).extracting(ReferralProgress::referralId).doesNotContain(answered, waiting);
        assertThat(only(console.search(answered)).awaiting()).isEmpty();
        assertThat(console.search("medical-dushanbe")).extracting(ReferralProgress::referralId).containsExactly(answered);
        assertThat(console.search("medical")).as("a provider matches by its whole id").isEmpty();
        assertThat(console.search("%")).as("the query is text, not a pattern").isEmpty();
        assertThat(console.search("ngo-hot")).hasSize(31);
        assertThat(console.charts().timeToOutcome()).extracting(ConsoleOverview.TimeToOutcome::referralId).containsExactlyInAnyOrder(answered, waiting);
        ConsoleOverview.PerDay perDay = console.charts().perDay();
        assertThat(perDay.counts()).containsOnlyKeys("border-service", "ngo-hotline");
        assertThat(perDay).as("the counts kept by the fold, as counted from every referral's progress").isEqualTo(perDayOfEveryReferral(db));

        // Derived from the trail alone: rebuilt from row 1 in one page, it is the same.
        List<ReferralProgress> folded = console.search("");
        db.jdbc.update("DELETE FROM referral_progress");
        db.jdbc.update("DELETE FROM referral_progress_day");
        db.jdbc.update("UPDATE referral_progress_position SET seq = 0");
        ConsoleOverview rebuilt = new ConsoleOverview(new ReferralProgressProjection(db.jdbc, store,
                new DataSourceTransactionManager(db.dataSource)), store, Clock.systemUTC());
        assertThat(rebuilt.search("")).containsExactlyInAnyOrderElementsOf(folded);
        assertThat(rebuilt.charts().perDay()).isEqualTo(perDay);
    }

    /** The per-day chart as the console drew it before the counts were kept: from one row per referral. */
    private static ConsoleOverview.PerDay perDayOfEveryReferral(TrailDatabase db) {
        java.util.TreeSet<String> days = new java.util.TreeSet<>();
        java.util.Map<String, java.util.Map<String, Integer>> bySender = new java.util.TreeMap<>();
        db.jdbc.query("SELECT received_at, sender FROM referral_progress", (java.sql.ResultSet rs) -> {
            String day = rs.getObject(1, OffsetDateTime.class).withOffsetSameInstant(java.time.ZoneOffset.UTC).toLocalDate().toString();
            days.add(day);
            bySender.computeIfAbsent(String.valueOf(rs.getString(2)), s -> new java.util.TreeMap<>()).merge(day, 1, Integer::sum);
        });
        java.util.Map<String, List<Integer>> counts = new java.util.LinkedHashMap<>();
        bySender.forEach((sender, perDay) -> counts.put(sender, days.stream().map(d -> perDay.getOrDefault(d, 0)).toList()));
        return new ConsoleOverview.PerDay(List.copyOf(days), counts);
    }

    /** 30 referrals of noise, the three of the scenario. */
    private static final int SEARCH_ALL = 33;

    private static void record(TrailDatabase db, AuditEventType type, String referralId, String actor, String counterpart,
                               String envelope) {
        AuditEvent event = AuditEvent.of(type, referralId, actor);
        event = counterpart == null ? event : event.withCounterpart(counterpart);
        db.trail.record(envelope == null ? event : event.withEnvelope(envelope));
    }

    private static ReferralProgress only(List<ReferralProgress> found) {
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static OffsetDateTime atOf(TrailDatabase db, long seq) {
        return AuditChain.normalise(db.jdbc.queryForObject("SELECT at FROM audit_event WHERE seq = ?", OffsetDateTime.class, seq));
    }

}
