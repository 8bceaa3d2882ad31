package org.referralbus.dedupe;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.referralbus.envelope.AdmittedEnvelope;
import org.referralbus.validation.Referral;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The referral table, its only reader and writer: one row per (sender, referralId), enforced by the primary key so
 * that two bus instances sharing the database cannot both accept the same referral. Also the case columns (case id,
 * link flag, version, supersedes) and the processing lease of a referral still RECEIVED.
 */
@Component
public class ReferralLedger {

    private static final String COLUMNS =
            "sender, referral_id, content_sha256, envelope_sha256, state, received_at, receipt_json, receipt_signature";

    record CaseRow(String caseId, boolean linkedToExistingCase, int version, String supersedes) {
    }

    private final JdbcTemplate jdbc;

    public ReferralLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<StoredReferral> find(String sender, String referralId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM referral WHERE sender = ? AND referral_id = ?",
                ReferralLedger::map, sender, referralId).stream().findFirst();
    }

    public Optional<StoredReferral> findByEnvelope(String envelopeSha256) {
        return jdbc.query("SELECT " + COLUMNS + " FROM referral WHERE envelope_sha256 = ?",
                ReferralLedger::map, envelopeSha256).stream().findFirst();
    }

    /** Records a new referral; false if another submission (or another bus instance) recorded it first. */
    public boolean insertReceived(Referral referral, String contentSha256, String envelopeSha256, byte[] envelope,
                                  OffsetDateTime at) {
        try {
            jdbc.update("INSERT INTO referral (sender, referral_id, content_sha256, envelope_sha256, state, received_at, urgency, envelope) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    referral.sender(), referral.referralId(), contentSha256, envelopeSha256,
                    StoredReferral.State.RECEIVED.name(), at, referral.urgency().value(), envelope);
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** The sender's sealed envelope (encrypted for the bus) and when it was received, to re-open the referral. */
    public Optional<AdmittedEnvelope> sealedEnvelope(String sender, String referralId) {
        return jdbc.query("SELECT envelope, received_at FROM referral WHERE sender = ? AND referral_id = ? AND envelope IS NOT NULL",
                (rs, i) -> new AdmittedEnvelope(rs.getBytes(1), rs.getObject(2, OffsetDateTime.class).toInstant()),
                sender, referralId).stream().findFirst();
    }

    /** Whether the bus holds the referral but no longer its sealed envelope (erased, or purged after retention). */
    public boolean envelopeGone(String sender, String referralId) {
        return !jdbc.queryForList("SELECT 1 FROM referral WHERE sender = ? AND referral_id = ? AND envelope IS NULL",
                Integer.class, sender, referralId).isEmpty();
    }

    /** A referral whose sealed envelope is still kept: ids, hash and when it was received. */
    public record KeptEnvelope(String sender, String referralId, String envelopeSha256, StoredReferral.State state, OffsetDateTime receivedAt) {
    }

    /**
     * Every referral received before {@code receivedBefore} whose sealed envelope the bus still holds. The retention
     * run asks only for those older than its cut-off (none younger can have closed before it): it read every kept
     * envelope's row into memory each hour, and asked for each one's needs, a cost that grew with the referrals of
     * the whole retention period.
     */
    public List<KeptEnvelope> keptEnvelopes(OffsetDateTime receivedBefore) {
        return jdbc.query("SELECT sender, referral_id, envelope_sha256, state, received_at FROM referral "
                        + "WHERE received_at < ? AND envelope IS NOT NULL",
                (rs, i) -> new KeptEnvelope(rs.getString(1), rs.getString(2), rs.getString(3).trim(), StoredReferral.State.valueOf(rs.getString(4)),
                        rs.getObject(5, OffsetDateTime.class)), receivedBefore);
    }

    /** How many referrals received before {@code instant} still have their sealed envelope kept. */
    public long keptReceivedBefore(OffsetDateTime instant) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM referral WHERE received_at < ? AND envelope IS NOT NULL", Long.class, instant);
    }

    /**
     * Removes the sealed envelope, keeping ids and hashes; {@code why} is RETENTION or ERASURE. Returns whether there
     * was one to remove (a second call, or one racing another instance, removes nothing).
     */
    public boolean removeEnvelope(String sender, String referralId, String why, OffsetDateTime at) {
        return jdbc.update("UPDATE referral SET envelope = NULL, envelope_removed = ?, envelope_removed_at = ? "
                + "WHERE sender = ? AND referral_id = ? AND envelope IS NOT NULL", why, at, sender, referralId) == 1;
    }

    public void markRouted(String sender, String referralId, Receipt receipt) {
        jdbc.update("UPDATE referral SET state = ?, receipt_json = ?, receipt_signature = ? "
                        + "WHERE sender = ? AND referral_id = ? AND state = ?",
                StoredReferral.State.ROUTED.name(), new String(receipt.json(), java.nio.charset.StandardCharsets.UTF_8),
                receipt.signature(), sender, referralId, StoredReferral.State.RECEIVED.name());
    }

    Optional<CaseRow> findCase(String sender, String referralId) {
        return jdbc.query("SELECT case_id, linked_to_existing_case, referral_version, supersedes FROM referral "
                        + "WHERE sender = ? AND referral_id = ?",
                (rs, row) -> new CaseRow(rs.getString(1), rs.getBoolean(2), rs.getInt(3), rs.getString(4)),
                sender, referralId).stream().findFirst();
    }

    /**
     * Sets the case once, with the rule and score of the person link that chose it ({@code decision} null for a new
     * case or an update); false if an earlier attempt (or another instance) already did, whose choice then stands.
     */
    boolean assignCase(String sender, String referralId, CaseRow assigned, LinkDecision decision) {
        return jdbc.update("UPDATE referral SET case_id = ?, linked_to_existing_case = ?, referral_version = ?, supersedes = ?, "
                        + "link_rule = ?, link_score = ? WHERE sender = ? AND referral_id = ? AND case_id IS NULL",
                assigned.caseId(), assigned.linkedToExistingCase(), assigned.version(), assigned.supersedes(),
                decision == null ? null : decision.rule().code(),
                decision == null ? null : java.math.BigDecimal.valueOf(decision.score()).setScale(3, java.math.RoundingMode.HALF_UP),
                sender, referralId) == 1;
    }

    /** One referral of a case as the coordinator sees it: ids, version and why it joined, never a name. */
    public record CaseMember(String sender, String referralId, OffsetDateTime receivedAt, int version, String supersedes,
                             boolean linkedToExistingCase, String linkRule, java.math.BigDecimal linkScore) {
    }

    /** Every referral of the case, oldest first; empty for an unknown case. */
    List<CaseMember> members(String caseId) {
        return jdbc.query("SELECT sender, referral_id, received_at, referral_version, supersedes, linked_to_existing_case, "
                        + "link_rule, link_score FROM referral WHERE case_id = ? ORDER BY received_at, sender, referral_id",
                (rs, i) -> new CaseMember(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class), rs.getInt(4),
                        rs.getString(5), rs.getBoolean(6), rs.getString(7), rs.getBigDecimal(8)), caseId);
    }

    /**
     * The coordinator merged case {@code from} into {@code into}: every referral of {@code from} follows, and the rule
     * that now holds it there is the coordinator's (the machine's earlier decision stays in its {@code LINKED} row).
     */
    int moveCase(String from, String into) {
        return jdbc.update("UPDATE referral SET case_id = ?, link_rule = ?, link_score = NULL WHERE case_id = ?",
                into, LinkRule.COORDINATOR.code(), from);
    }

    /** The coordinator split one referral out of case {@code from} into {@code into}. */
    boolean moveReferral(String sender, String referralId, String from, String into) {
        return jdbc.update("UPDATE referral SET case_id = ?, link_rule = ?, link_score = NULL "
                        + "WHERE sender = ? AND referral_id = ? AND case_id = ?",
                into, LinkRule.COORDINATOR.code(), sender, referralId, from) == 1;
    }

    /**
     * Takes over a referral still RECEIVED whose processing lease ran out (its instance crashed or gave up). The
     * lease of a fresh row is its received_at plus the lease; one UPDATE decides between competing instances.
     */
    boolean claimExpiredLease(String sender, String referralId, OffsetDateTime now, Duration lease) {
        return jdbc.update("UPDATE referral SET lease_until = ? WHERE sender = ? AND referral_id = ? AND state = 'RECEIVED' "
                        + "AND ((lease_until IS NULL AND received_at < ?) OR lease_until < ?)",
                now.plus(lease), sender, referralId, now.minus(lease), now) == 1;
    }

    /**
     * When the processing lease of a referral runs out (a fresh row's: received_at plus the lease), whatever its state:
     * a routed referral's attempt may still be sending the copies its receipt promised.
     */
    Optional<OffsetDateTime> leaseUntil(String sender, String referralId, Duration lease) {
        return jdbc.query("SELECT lease_until, received_at FROM referral WHERE sender = ? AND referral_id = ?",
                (rs, i) -> {
                    OffsetDateTime until = rs.getObject(1, OffsetDateTime.class);
                    return until != null ? until : rs.getObject(2, OffsetDateTime.class).plus(lease);
                }, sender, referralId).stream().findFirst();
    }

    /**
     * Ends the lease at once after a failed attempt, so the sender's retry need not wait for it to run out; also once
     * the attempt stored its receipt, so the retry hands over the copies it could not send.
     */
    void releaseLease(String sender, String referralId) {
        jdbc.update("UPDATE referral SET lease_until = ? WHERE sender = ? AND referral_id = ?",
                OffsetDateTime.parse("2000-01-01T00:00:00Z"), sender, referralId);
    }

    /** The sender's other referrals in the case, oldest first (the one being routed left out). */
    List<String> othersInCase(String caseId, String sender, String referralId) {
        return jdbc.queryForList("SELECT referral_id FROM referral WHERE case_id = ? AND sender = ? AND referral_id <> ? "
                + "ORDER BY received_at, referral_id", String.class, caseId, sender, referralId);
    }

    /**
     * Whether the sender came to this case through another agency: its first referral in the case joined a case
     * that already existed, which only another agency's referral can have opened. Updates and later referrals of
     * the same sender inherit the answer, so none of them is a way round the coordinator.
     */
    boolean joinedAnotherAgencysCase(String caseId, String sender) {
        return jdbc.query("SELECT linked_to_existing_case FROM referral WHERE case_id = ? AND sender = ? "
                        + "ORDER BY received_at, referral_id", (rs, row) -> rs.getBoolean(1), caseId, sender)
                .stream().findFirst().orElse(false);
    }

    private static StoredReferral map(ResultSet rs, int row) throws SQLException {
        String json = rs.getString("receipt_json");
        Optional<Receipt> receipt = json == null ? Optional.empty()
                : Optional.of(new Receipt(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), rs.getBytes("receipt_signature")));
        return new StoredReferral(rs.getString("sender"), rs.getString("referral_id"), rs.getString("content_sha256").trim(),
                rs.getString("envelope_sha256").trim(), StoredReferral.State.valueOf(rs.getString("state")),
                rs.getObject("received_at", OffsetDateTime.class), receipt);
    }

    /** A referral as first filed (not an update), linked to its case, with its sealed envelope still kept. */
    public record FiledReferral(String sender, String referralId, String caseId, OffsetDateTime receivedAt) {
    }

    /**
     * Every first-filed, linked referral received in {@code [from, before)} whose envelope is kept: what statistics can
     * still read after the fact. The range is read through the index {@code referral_by_received}.
     */
    public List<FiledReferral> firstFiledWithEnvelope(OffsetDateTime from, OffsetDateTime before) {
        return jdbc.query("SELECT sender, referral_id, case_id, received_at FROM referral WHERE received_at >= ? AND received_at < ? "
                        + "AND supersedes IS NULL AND case_id IS NOT NULL AND envelope IS NOT NULL",
                (rs, i) -> filed(rs), from, before);
    }

    private static FiledReferral filed(ResultSet rs) throws SQLException {
        return new FiledReferral(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class));
    }
}
