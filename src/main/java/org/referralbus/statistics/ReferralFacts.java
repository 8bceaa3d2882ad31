package org.referralbus.statistics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Owner of {@code referral_facts}: one row of codes per referral, written once at intake and moved along as providers
 * answer. Outcome changes are conditional updates that only ever strengthen the outcome ({@link Outcome}), so a
 * repeated or late answer changes nothing twice; each outcome is timed when first reached (the first acceptance, the
 * decline or escalation that strengthened it), so statistics can count a period's outcomes as they stood at its
 * cut-off ({@link Fact#asOf}). Each answer is still one statement.
 */
@Component
public class ReferralFacts {

    private static final String COLUMNS = "sender, referral_id, case_id, received_at, category, exploitation, sex, "
            + "age_band, nationality, region, services, outcome, accepted_at, declined_at, escalated_at";

    private final JdbcTemplate jdbc;

    ReferralFacts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the facts once; a retry of the same referral finds them there and changes nothing. */
    public boolean record(Fact fact) {
        return jdbc.update("INSERT INTO referral_facts (" + COLUMNS + ") SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                        + "FROM (VALUES (1)) t WHERE NOT EXISTS (SELECT 1 FROM referral_facts WHERE sender = ? AND referral_id = ?)",
                fact.sender(), fact.referralId(), fact.caseId(), fact.receivedAt(), fact.category(),
                String.join(",", fact.exploitation()), fact.sex(), fact.ageBand(), fact.nationality(), fact.region(),
                String.join(",", fact.services()), fact.outcome().name(), fact.acceptedAt(), fact.declinedAt(),
                fact.escalatedAt(), fact.sender(), fact.referralId()) == 1;
    }

    /** A provider accepted one of the referral's needs: the outcome is ACCEPTED, timed by the first acceptance. */
    public void accepted(String sender, String referralId, OffsetDateTime at) {
        jdbc.update("UPDATE referral_facts SET outcome = 'ACCEPTED', accepted_at = COALESCE(accepted_at, ?) "
                + "WHERE sender = ? AND referral_id = ?", at, sender, referralId);
    }

    /** A provider declined: the outcome is DECLINED if nothing stronger was reached, timed {@code at}. */
    public void declined(String sender, String referralId, OffsetDateTime at) {
        strengthen(sender, referralId, Outcome.DECLINED, "declined_at", at);
    }

    /** A deadline passed or a push failed: the outcome is ESCALATED unless accepted already, timed {@code at}. */
    public void escalated(String sender, String referralId, OffsetDateTime at) {
        strengthen(sender, referralId, Outcome.ESCALATED, "escalated_at", at);
    }

    private void strengthen(String sender, String referralId, Outcome to, String timeColumn, OffsetDateTime at) {
        List<String> weaker = Arrays.stream(Outcome.values()).filter(to::outranks).map(Enum::name).toList();
        jdbc.update("UPDATE referral_facts SET outcome = ?, " + timeColumn + " = ? WHERE sender = ? AND referral_id = ? "
                        + "AND outcome IN (" + String.join(", ", weaker.stream().map(w -> "'" + w + "'").toList()) + ")",
                to.name(), at, sender, referralId);
    }

    /** Facts of referrals received in {@code [from, to)}. */
    public List<Fact> receivedBetween(OffsetDateTime from, OffsetDateTime to) {
        return jdbc.query("SELECT " + COLUMNS + " FROM referral_facts WHERE received_at >= ? AND received_at < ?",
                (rs, i) -> fact(rs), from, to);
    }

    /** {@code sender/referralId} of every referral received in {@code [from, before)} that has facts (for the backfill). */
    Set<String> recorded(OffsetDateTime from, OffsetDateTime before) {
        return new HashSet<>(jdbc.query("SELECT sender, referral_id FROM referral_facts WHERE received_at >= ? AND received_at < ?",
                (rs, i) -> rs.getString(1) + "/" + rs.getString(2), from, before));
    }

    private static Fact fact(ResultSet rs) throws SQLException {
        return new Fact(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class),
                rs.getString(5), codes(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), codes(rs.getString(11)), Outcome.valueOf(rs.getString(12)),
                rs.getObject(13, OffsetDateTime.class), rs.getObject(14, OffsetDateTime.class),
                rs.getObject(15, OffsetDateTime.class));
    }

    private static List<String> codes(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
    }
}
