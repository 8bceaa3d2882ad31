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
        String plan = h2.queryForObject("EXPLAIN ANALYZE " + sql, String.class, arguments);
        Matcher scans = SCAN_COUNT.matcher(plan);
        int read = 0;
        while (scans.find()) {
            read += Integer.parseInt(scans.group(1));
        }
        assertThat(read).as(plan).isPositive().isLessThan(bound);
    }
}
