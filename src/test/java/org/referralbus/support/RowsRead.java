package org.referralbus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/** How many rows H2 reads to answer a query: the sum of {@code EXPLAIN ANALYZE}'s scan counts over its tables. */
public final class RowsRead {

    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    private RowsRead() {
    }

    /** Fails, showing the plan, unless answering {@code sql} reads at least one row and fewer than {@code bound}. */
    public static void assertFewerThan(int bound, JdbcTemplate h2, String sql, Object... arguments) {
        String plan = plan(h2, sql, arguments);
        assertThat(read(plan)).as(plan).isPositive().isLessThan(bound);
    }

    /** H2's plan for {@code sql}, with the rows each table scan read. */
    public static String plan(JdbcTemplate h2, String sql, Object... arguments) {
        return h2.queryForObject("EXPLAIN ANALYZE " + sql, String.class, arguments);
    }

    /** The rows a {@link #plan} says were read. */
    public static int read(String plan) {
        Matcher scans = SCAN_COUNT.matcher(plan);
        int read = 0;
        while (scans.find()) {
            read += Integer.parseInt(scans.group(1));
        }
        return read;
    }
}
