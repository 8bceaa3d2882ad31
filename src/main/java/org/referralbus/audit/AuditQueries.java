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

    /**
     * A participant with at most this many rows gets its pages from its two index look-ups, sorted in memory; so does
     * any filter with at most this many matches on a page read on from a seq ({@link #eventsAfter}).
     */
    static final int SORTED_PARTICIPANT_ROWS = 20_000;

    /**
     * One page of events. A numbered page ({@code page=}) carries the total; a page read on from a seq ({@code after=})
     * does not (null): counting walks every match, the cost keyset paging is there to avoid. {@code nextAfter} is the
     * last seq of this page while more events match, the {@code after} to ask for next; null at the end.
     */
    record Page(List<AuditRecord> events, Integer page, int size, Long totalEvents, Integer totalPages, Long after,
                Long nextAfter) {

        /** {@code upToOneMore}: the page's rows and, if there is one, the next match (read to know whether more follow). */
        static Page numbered(List<AuditRecord> upToOneMore, int page, int size, long totalEvents) {
            List<AuditRecord> events = first(upToOneMore, size);
            return new Page(events, page, size, totalEvents, pages(totalEvents, size), null, nextAfter(upToOneMore, events));
        }

        static Page after(List<AuditRecord> upToOneMore, long after, int size) {
            List<AuditRecord> events = first(upToOneMore, size);
            return new Page(events, null, size, null, null, after, nextAfter(upToOneMore, events));
        }

        private static List<AuditRecord> first(List<AuditRecord> rows, int size) {
            return rows.size() > size ? List.copyOf(rows.subList(0, size)) : rows;
        }

        private static Long nextAfter(List<AuditRecord> upToOneMore, List<AuditRecord> events) {
            return upToOneMore.size() > events.size() ? events.get(events.size() - 1).seq() : null;
        }
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
            return Page.numbered(inSeqOrder(filter, (long) page * size, size + 1), page, size, count);
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
            events = rows.pageOfEither(actorWhere, counterpartWhere, paged(both, (long) page * size, size + 1));
        } else {
            events = inSeqOrder(filter, (long) page * size, size + 1);
        }
        return Page.numbered(events, page, size, count);
    }

    /**
     * The {@code size} events after seq {@code after} (keyset paging), nothing counted beyond a bound, so a page costs
     * about the same however deep it is. No filter: a range of the primary key. Otherwise the matches are first counted
     * up to {@link #SORTED_PARTICIPANT_ROWS} + 1 (for a participant, each half apart, as {@link #events} does). At most
     * that many are read through the filter's own indexes and sorted, {@code seq > after} only checked on them; more
     * are read from the trail in seq order from {@code after}, through the primary key, the filter only checked.
     * Either way the planner is left no choice, as H2 chose badly both ways: the primary key from {@code after} over a
     * short period's index (reading the trail up to the period), and a frequent type's index over the primary key
     * (sorting all the type's rows for each page).
     */
    Page eventsAfter(AuditFilter filter, long after, int size) {
        return Page.after(rowsAfter(filter, after, size + 1), after, size);
    }

    private List<AuditRecord> rowsAfter(AuditFilter filter, long after, int rowCount) {
        List<Object> arguments = new ArrayList<>();
        String conditions = filter.conditions(arguments, AuditFilter.ParticipantAs.ACTOR_OR_COUNTERPART);
        if (conditions.isEmpty()) {
            return rows.page(" WHERE seq > ?", paged(List.of(after), 0, rowCount));
        }
        int enough = sortedParticipantRows + 1;
        if (filter.participant() == null) {
            if (rows.countUpTo(" WHERE " + conditions, arguments.toArray(), enough) <= sortedParticipantRows) {
                String where = afterSeq(" WHERE " + conditions, arguments, after);
                return rows.page(where, paged(arguments, 0, rowCount));
            }
        } else {
            List<Object> asActor = new ArrayList<>();
            List<Object> asCounterpart = new ArrayList<>();
            String actorWhere = filter.where(asActor, AuditFilter.ParticipantAs.ACTOR);
            String counterpartWhere = filter.where(asCounterpart, AuditFilter.ParticipantAs.COUNTERPART_NOT_ACTOR);
            if (rows.countUpTo(actorWhere, asActor.toArray(), enough)
                    + rows.countUpTo(counterpartWhere, asCounterpart.toArray(), enough) <= sortedParticipantRows) {
                actorWhere = afterSeq(actorWhere, asActor, after);
                counterpartWhere = afterSeq(counterpartWhere, asCounterpart, after);
                List<Object> both = new ArrayList<>(asActor);
                both.addAll(asCounterpart);
                return rows.pageOfEither(actorWhere, counterpartWhere, paged(both, 0, rowCount));
            }
        }
        List<Object> walk = new ArrayList<>();
        walk.add(after);
        walk.addAll(arguments);
        return rows.page(" WHERE seq > ? AND " + checkedOnly(conditions), paged(walk, 0, rowCount));
    }

    /** {@code where} (not empty) narrowed to the rows after seq {@code after}, checked on the rows it finds. */
    private static String afterSeq(String where, List<Object> arguments, long after) {
        arguments.add(after);
        return where + " AND " + checkedOnly("seq > ?");
    }

    /** {@code condition} in a form no index answers, so that the planner finds the rows by the other conditions. */
    private static String checkedOnly(String condition) {
        return "CASE WHEN " + condition + " THEN 1 ELSE 0 END = 1";
    }

    /** Rows matching the whole filter, read from the trail in seq order. */
    private List<AuditRecord> inSeqOrder(AuditFilter filter, long offset, int rowCount) {
        List<Object> arguments = new ArrayList<>();
        return rows.page(filter.where(arguments), paged(arguments, offset, rowCount));
    }

    private static Object[] paged(List<Object> arguments, long offset, int rowCount) {
        List<Object> all = new ArrayList<>(arguments);
        all.add(offset);
        all.add(rowCount);
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
