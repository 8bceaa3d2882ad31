package org.referralbus.audit;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.referralbus.core.Uuids;
import org.springframework.beans.factory.annotation.Autowired;
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

    /** A participant with at most this many rows gets its pages from its two index look-ups, sorted in memory. */
    static final int SORTED_PARTICIPANT_ROWS = 20_000;

    record Page(List<AuditRecord> events, int page, int size, long totalEvents, int totalPages) {
    }

    private final AuditRows rows;
    private final int sortedParticipantRows;
    private final JsonMapper json;

    @Autowired
    AuditQueries(JdbcTemplate jdbc, JsonMapper json) {
        this(jdbc, json, SORTED_PARTICIPANT_ROWS);
    }

    /** {@code sortedParticipantRows}: tests take both ways with a few rows. */
    AuditQueries(JdbcTemplate jdbc, JsonMapper json, int sortedParticipantRows) {
        this.rows = new AuditRows(jdbc);
        this.json = json;
        this.sortedParticipantRows = sortedParticipantRows;
    }

    /** Whether the trail names this participant as actor or counterpart: then its id is no one's personal data. */
    boolean namesParticipant(String id) {
        return rows.namesParticipant(id);
    }

    /**
     * With a participant, the rows where it is the actor and those where it is only the counterpart are counted apart,
     * each through its own index; while there are at most {@link #SORTED_PARTICIPANT_ROWS} of them, the page is taken
     * from those two look-ups too, sorted together. A busier participant's page comes from reading the trail in seq
     * order, which finds its rows soon because they are many (two look-ups would sort all of them for every page).
     */
    Page events(AuditFilter filter, int page, int size) {
        if (filter.participant() == null) {
            List<Object> arguments = new ArrayList<>();
            long count = rows.count(filter.where(arguments), arguments.toArray());
            return new Page(inSeqOrder(filter, page, size), page, size, count, pages(count, size));
        }
        List<Object> asActor = new ArrayList<>();
        List<Object> asCounterpart = new ArrayList<>();
        String actorWhere = filter.where(asActor, AuditFilter.ParticipantAs.ACTOR);
        String counterpartWhere = filter.where(asCounterpart, AuditFilter.ParticipantAs.COUNTERPART_NOT_ACTOR);
        long count = rows.count(actorWhere, asActor.toArray()) + rows.count(counterpartWhere, asCounterpart.toArray());
        List<AuditRecord> events;
        if (count <= sortedParticipantRows) {
            List<Object> both = new ArrayList<>(asActor);
            both.addAll(asCounterpart);
            events = rows.pageOfEither(actorWhere, counterpartWhere, paged(both, page, size));
        } else {
            events = inSeqOrder(filter, page, size);
        }
        return new Page(events, page, size, count, pages(count, size));
    }

    /** A page of the rows matching the whole filter, read from the trail in seq order. */
    private List<AuditRecord> inSeqOrder(AuditFilter filter, int page, int size) {
        List<Object> arguments = new ArrayList<>();
        return rows.page(filter.where(arguments), paged(arguments, page, size));
    }

    private static Object[] paged(List<Object> arguments, int page, int size) {
        List<Object> all = new ArrayList<>(arguments);
        all.add((long) page * size);
        all.add(size);
        return all.toArray();
    }

    private static int pages(long count, int size) {
        return (int) ((count + size - 1) / size);
    }

    /** A referral id as the trail holds it: the intake stores ids in lower case. */
    static String asStored(String referralId) {
        return referralId == null ? null : Uuids.key(referralId.trim());
    }

    /**
     * Every row about one referral: those that name it, plus RECEIVED and OPENED rows of its envelopes, which are
     * written before the bus has read the referral id. {@code referralId} as stored ({@link #asStored}).
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
