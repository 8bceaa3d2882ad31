package org.referralbus.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.referralbus.core.Uuids;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * The owner of {@code referral_progress} (where each referral stands, for the console), of its counts per day
 * ({@code referral_progress_day}) and of the trail position both have been folded to. Each console query reads a
 * bounded number of rows through an index, or one row per day and sender.
 */
@Component
class ReferralProgressStore {

    private static final String COLUMNS = "referral_id, sender, received_at, last_step, last_step_at, providers, "
            + "delivered_at, accepted_at, awaiting";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM referral_progress ";
    private static final String NEWEST_FIRST = " ORDER BY received_at DESC, referral_id";
    private static final RowMapper<ReferralProgress> ROW = (rs, i) -> progress(rs);
    static final String BY_ID = SELECT + "WHERE referral_id IN (?, ?)";
    /**
     * A fold page's referrals in one statement whose text does not depend on how many there are (it was {@code IN}
     * lists of up to 500, a text per length): see {@link AuditRows#FIRST_RECEIVED} for what a text per length costs.
     */
    static final String BY_IDS = SELECT + "WHERE referral_id = ANY(?)";

    private final JdbcTemplate jdbc;

    ReferralProgressStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The last trail seq folded, as committed. */
    long position() {
        return jdbc.queryForObject("SELECT seq FROM referral_progress_position WHERE id = 1", Long.class);
    }

    /** The last trail seq folded, locked until the caller's transaction ends: one node folds at a time. */
    long lockPosition() {
        return jdbc.queryForObject("SELECT seq FROM referral_progress_position WHERE id = 1 FOR UPDATE", Long.class);
    }

    void movePosition(long seq) {
        jdbc.update("UPDATE referral_progress_position SET seq = ? WHERE id = 1", seq);
    }

    /** The stored progress of each of {@code referralIds} that has one; one array parameter (see {@link #BY_IDS}). */
    Map<String, ReferralProgress> find(Collection<String> referralIds) {
        Map<String, ReferralProgress> found = new HashMap<>();
        if (referralIds.isEmpty()) {
            return found;
        }
        jdbc.query(BY_IDS, (ResultSet rs) -> {
            ReferralProgress progress = progress(rs);
            found.put(progress.referralId(), progress);
        }, (Object) referralIds.toArray(String[]::new));
        return found;
    }

    void insert(Collection<ReferralProgress> added) {
        jdbc.batchUpdate("INSERT INTO referral_progress (sender, received_at, last_step, last_step_at, providers, delivered_at, "
                + "accepted_at, awaiting, finished, referral_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", arguments(added));
    }

    void update(Collection<ReferralProgress> changed) {
        jdbc.batchUpdate("UPDATE referral_progress SET sender = ?, received_at = ?, last_step = ?, last_step_at = ?, "
                + "providers = ?, delivered_at = ?, accepted_at = ?, awaiting = ?, finished = ? WHERE referral_id = ?",
                arguments(changed));
    }

    List<ReferralProgress> newest(int limit) {
        return jdbc.query(SELECT + NEWEST_FIRST + " LIMIT ?", ROW, limit);
    }

    /**
     * Newest first: the referral id contains {@code lowerCaseText}, or the sender does, or a provider it went to is
     * exactly that id. A whole referral id (a UUID, as auditors paste it) is looked up by the key first, written as
     * typed or in capitals; only if neither is stored (an id in mixed case) is every referral's text read, as for any
     * part of an id.
     */
    List<ReferralProgress> matching(String lowerCaseText, int limit) {
        if (Uuids.canonical(lowerCaseText)) {
            List<ReferralProgress> byKey = jdbc.query(BY_ID, ROW, lowerCaseText, lowerCaseText.toUpperCase(Locale.ROOT));
            if (!byKey.isEmpty()) {
                return byKey;
            }
        }
        String literal = lowerCaseText.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        String contains = "%" + literal + "%";
        String provider = "%," + literal + ",%";
        return jdbc.query(SELECT + "WHERE LOWER(referral_id) LIKE ? ESCAPE '\\' OR sender LIKE ? ESCAPE '\\' "
                        + "OR ',' || providers || ',' LIKE ? ESCAPE '\\'" + NEWEST_FIRST + " LIMIT ?",
                ROW, contains, contains, provider, limit);
    }

    /** Unfinished referrals whose last step was at or before {@code lastStepAtOrBefore}, newest first. */
    List<ReferralProgress> stuck(OffsetDateTime lastStepAtOrBefore, int limit) {
        return jdbc.query(SELECT + "WHERE finished = FALSE AND last_step_at <= ?" + NEWEST_FIRST + " LIMIT ?",
                ROW, lastStepAtOrBefore, limit);
    }

    /** The newest referrals that reached a provider or were accepted. */
    List<ReferralProgress> newestWithOutcome(int limit) {
        return jdbc.query(SELECT + "WHERE delivered_at IS NOT NULL OR accepted_at IS NOT NULL" + NEWEST_FIRST + " LIMIT ?",
                ROW, limit);
    }

    /** Referrals received on a UTC day from a sender ({@code "null"} while the trail names none yet). */
    record DaySender(LocalDate day, String sender) {

        static DaySender of(ReferralProgress progress) {
            return new DaySender(progress.receivedAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate(),
                    String.valueOf(progress.sender()));
        }
    }

    /** Adds each change to its day's count; call with the position locked, so no other fold counts at the same time. */
    void countDays(Map<DaySender, Integer> changes) {
        changes.forEach((key, change) -> {
            if (change != 0 && jdbc.update("UPDATE referral_progress_day SET referrals = referrals + ? WHERE received_on = ? AND sender = ?",
                    change, key.day(), key.sender()) == 0) {
                jdbc.update("INSERT INTO referral_progress_day (received_on, sender, referrals) VALUES (?, ?, ?)",
                        key.day(), key.sender(), change);
            }
        });
    }

    /** Every day with a referral received, and the count per sender: one row per day and sender, not per referral. */
    void eachDay(BiConsumer<DaySender, Integer> each) {
        jdbc.query("SELECT received_on, sender, referrals FROM referral_progress_day WHERE referrals > 0 ORDER BY received_on, sender",
                (ResultSet rs) -> {
                    each.accept(new DaySender(rs.getObject(1, LocalDate.class), rs.getString(2)), rs.getInt(3));
                });
    }

    private static List<Object[]> arguments(Collection<ReferralProgress> rows) {
        return rows.stream().map(p -> new Object[] {p.sender(), p.receivedAt(), p.lastStep(), p.lastStepAt(),
                String.join(",", p.providers()), p.delivered(), p.accepted(), String.join(",", p.awaiting()), p.finished(),
                p.referralId()}).toList();
    }

    private static ReferralProgress progress(ResultSet rs) throws SQLException {
        return new ReferralProgress(rs.getString(1), rs.getString(2), time(rs, 3), rs.getString(4), time(rs, 5),
                list(rs.getString(6)), time(rs, 7), time(rs, 8), list(rs.getString(9)));
    }

    private static OffsetDateTime time(ResultSet rs, int column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : AuditChain.normalise(at);
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated.isEmpty() ? List.of() : Arrays.asList(commaSeparated.split(","));
    }
}
