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

    static final String COLUMNS = "seq, at, event_type, referral_id, actor, counterpart, envelope_sha256, detail, hash, prev_hash";
    static final RowMapper<AuditRecord> ROW = (rs, i) -> new AuditRecord(rs.getLong(1),
            AuditChain.normalise(rs.getObject(2, OffsetDateTime.class)), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6), trim(rs.getString(7)), rs.getString(8), trim(rs.getString(9)),
            trim(rs.getString(10)));

    record Page(List<AuditRecord> events, int page, int size, long totalEvents, int totalPages) {
    }

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    AuditQueries(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    Page events(AuditFilter filter, int page, int size) {
        List<Object> arguments = new ArrayList<>();
        String where = filter.where(arguments);
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM audit_event" + where, Long.class, arguments.toArray());
        arguments.add((long) page * size);
        arguments.add(size);
        List<AuditRecord> events = jdbc.query("SELECT " + COLUMNS + " FROM audit_event" + where
                + " ORDER BY seq OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", ROW, arguments.toArray());
        long count = total == null ? 0 : total;
        return new Page(events, page, size, count, (int) ((count + size - 1) / size));
    }

    /**
     * Every row about one referral: those that name it, plus RECEIVED and OPENED rows of its envelopes, which are
     * written before the bus has read the referral id.
     */
    List<AuditRecord> story(String referralId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM audit_event WHERE referral_id = ? OR (referral_id IS NULL AND "
                + "envelope_sha256 IN (SELECT envelope_sha256 FROM audit_event WHERE referral_id = ? AND envelope_sha256 IS NOT NULL)) "
                + "ORDER BY seq", ROW, referralId, referralId);
    }

    long headSeq() {
        Long seq = jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);
        return seq == null ? 0 : seq;
    }

    /**
     * Rows {@code fromSeq..toSeq} as JSON lines, one object per row in seq order, UTF-8, each line ending in
     * {@code \n}. Rows never change, so the same range always gives the same bytes: that is what lets the
     * signature be fetched separately.
     */
    byte[] export(long fromSeq, long toSeq) {
        StringBuilder out = new StringBuilder();
        jdbc.query("SELECT " + COLUMNS + " FROM audit_event WHERE seq BETWEEN ? AND ? ORDER BY seq",
                rs -> {
                    out.append(json.writeValueAsString(ROW.mapRow(rs, 0))).append('\n');
                }, fromSeq, toSeq);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }
}
