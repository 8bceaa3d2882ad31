package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The auditor's keyset pages on PostgreSQL, the production database: every filter reads each match once in seq order,
 * and on a trail of 200 000 rows a page after a seq is an index scan of the primary key from that seq, however deep.
 * Uses a throwaway schema on 127.0.0.1:5432/test; skipped when no PostgreSQL is reachable there.
 */
class PostgresAuditPagingTest {

    private ThrowawayPostgresSchema schema;

    @BeforeEach
    void needsPostgres() {
        schema = ThrowawayPostgresSchema.named("audit_paging_");
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void readingOnFromEachPagesLastSeqGivesEveryMatchOnceInSeqOrderWhateverTheFilter() {
        try (TrailDatabase db = schema.open()) {
            AuditQueriesTest.trail(db);
            for (AuditFilter filter : AuditQueriesTest.filters(db)) {
                for (int bound : new int[] {AuditQueries.SORTED_PARTICIPANT_ROWS, 3}) {
                    assertThat(AuditQueriesTest.readOnThrough(new AuditQueries(db.jdbc, new JsonMapper(), bound), filter, 7))
                            .as(filter + ", sorted up to " + bound).isEqualTo(AuditQueriesTest.matches(db, filter));
                }
            }
        }
    }

    @Test
    void aDeepPageIsReadThroughThePrimaryKeyFromItsSeq() {
        try (TrailDatabase db = schema.open()) {
            db.jdbc.update("INSERT INTO audit_event SELECT x, TIMESTAMPTZ '2026-01-01 00:00:00Z' + x * INTERVAL '1 second', "
                    + "CASE WHEN x % 3 = 0 THEN 'ROUTED' ELSE 'DELIVERED' END, 'r' || (x / 10), 'a' || (x % 5), 'c' || (x % 7), "
                    + "NULL, NULL, repeat('0', 64), repeat('0', 64) FROM generate_series(1, 200000) x");
            db.jdbc.execute("ANALYZE audit_event");
            StatementsSeen seen = new StatementsSeen(db.dataSource);
            AuditQueries queries = new AuditQueries(seen, new JsonMapper());

            // ROUTED and a3 match more rows (66 666, 40 000) than are read through their indexes and sorted.
            for (AuditFilter filter : List.of(new AuditFilter(null, null, null, null, null),
                    new AuditFilter(null, null, "ROUTED", null, null), new AuditFilter(null, "a3", null, null, null))) {
                seen.statements.clear();
                assertThat(queries.eventsAfter(filter, 150_000, 50).events()).as(filter.toString()).hasSize(50)
                        .allSatisfy(event -> assertThat(event.seq()).isGreaterThan(150_000));
                String page = seen.statements.get(seen.statements.size() - 1);
                assertThat(page).as(filter.toString()).contains("Index Scan using audit_event_pkey").contains("Index Cond: (seq > ")
                        .doesNotContain("Sort");
            }
        }
    }

    /** Records the plan of each page query the auditor queries issue, as PostgreSQL explains it with their arguments. */
    private static final class StatementsSeen extends JdbcTemplate {

        final List<String> statements = new ArrayList<>();

        StatementsSeen(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        public <T> List<T> query(String sql, RowMapper<T> mapper, Object... arguments) {
            statements.add(String.join("\n", super.queryForList("EXPLAIN " + sql, String.class, arguments)));
            return super.query(sql, mapper, arguments);
        }
    }

}
