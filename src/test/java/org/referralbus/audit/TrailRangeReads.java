package org.referralbus.audit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/** A JdbcTemplate that records the seq ranges of trail rows each query reads: whole rows or their leaf hashes. */
final class TrailRangeReads extends JdbcTemplate {

    final List<String> ranges = new CopyOnWriteArrayList<>();

    TrailRangeReads(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    public void query(String sql, RowCallbackHandler each, Object... arguments) {
        if (sql.startsWith("SELECT " + AuditRows.COLUMNS + " FROM audit_event") || sql.equals(AuditRows.LEAF_RANGE)) {
            ranges.add(arguments[0] + ".." + arguments[1]);
        }
        super.query(sql, each, arguments);
    }
}
