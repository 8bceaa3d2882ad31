package org.referralbus.audit;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Read side of the trail for auditors: filtered pages, one referral's story, and the export. */
@Component
class AuditQueries {

    static final RowMapper<AuditRecord> ROW = (rs, i) -> new AuditRecord(rs.getLong(1),
            AuditChain.normalise(rs.getObject(2, OffsetDateTime.class)), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6), trim(rs.getString(7)), rs.getString(8), trim(rs.getString(9)),
            trim(rs.getString(10)));

    record Page(List<AuditRecord> events, int page, int size, long totalEvents, int totalPages) {
    }

    private final AuditRows rows;
    private final JsonMapper json;

    AuditQueries(JdbcTemplate jdbc, JsonMapper json) {
        this.rows = new AuditRows(jdbc);
        this.json = json;
    }

    Page events(AuditFilter filter, int page, int size) {
        List<Object> arguments = new ArrayList<>();
        String where = filter.where(arguments);
        long count = rows.count(where, arguments.toArray());
        arguments.add((long) page * size);
        arguments.add(size);
        List<AuditRecord> events = rows.page(where, arguments.toArray());
        return new Page(events, page, size, count, (int) ((count + size - 1) / size));
    }

    /**
     * Every row about one referral: those that name it, plus RECEIVED and OPENED rows of its envelopes, which are
     * written before the bus has read the referral id.
     */
    List<AuditRecord> story(String referralId) {
        return rows.story(referralId);
    }

    long headSeq() {
        return rows.head().seq();
    }

    /**
     * Rows {@code fromSeq..toSeq} as JSON lines, one object per row in seq order, UTF-8, each line ending in
     * {@code \n}. Rows never change, so the same range always gives the same bytes: that is what lets the
     * signature be fetched separately.
     */
    byte[] export(long fromSeq, long toSeq) {
        StringBuilder out = new StringBuilder();
        rows.range(fromSeq, toSeq, rs -> {
            out.append(json.writeValueAsString(ROW.mapRow(rs, 0))).append('\n');
        });
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }
}
