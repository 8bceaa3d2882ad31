package org.referralbus.dedupe;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The case columns of the referral table (case id, link flag, version, supersedes) and the processing lease. Kept
 * apart from {@link ReferralLedger} so that receipts and cases evolve separately.
 */
@Component
class CaseLedger {

    record CaseRow(String caseId, boolean linkedToExistingCase, int version, String supersedes) {
    }

    private final JdbcTemplate jdbc;

    CaseLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<CaseRow> find(String sender, String referralId) {
        return jdbc.query("SELECT case_id, linked_to_existing_case, referral_version, supersedes FROM referral "
                        + "WHERE sender = ? AND referral_id = ?",
                (rs, row) -> new CaseRow(rs.getString(1), rs.getBoolean(2), rs.getInt(3), rs.getString(4)),
                sender, referralId).stream().findFirst();
    }

    /** Sets the case once; false if an earlier attempt (or another instance) already did, whose choice then stands. */
    boolean assignCase(String sender, String referralId, CaseRow assigned) {
        return jdbc.update("UPDATE referral SET case_id = ?, linked_to_existing_case = ?, referral_version = ?, supersedes = ? "
                        + "WHERE sender = ? AND referral_id = ? AND case_id IS NULL",
                assigned.caseId(), assigned.linkedToExistingCase(), assigned.version(), assigned.supersedes(),
                sender, referralId) == 1;
    }

    /**
     * Takes over a referral still RECEIVED whose processing lease ran out (its instance crashed or gave up). The
     * lease of a fresh row is its received_at plus the lease; one UPDATE decides between competing instances.
     */
    boolean claimExpiredLease(String sender, String referralId, OffsetDateTime now, java.time.Duration lease) {
        return jdbc.update("UPDATE referral SET lease_until = ? WHERE sender = ? AND referral_id = ? AND state = 'RECEIVED' "
                        + "AND ((lease_until IS NULL AND received_at < ?) OR lease_until < ?)",
                now.plus(lease), sender, referralId, now.minus(lease), now) == 1;
    }

    /** Ends the lease at once after a failed attempt, so the sender's retry need not wait for it to run out. */
    void releaseLease(String sender, String referralId) {
        jdbc.update("UPDATE referral SET lease_until = ? WHERE sender = ? AND referral_id = ? AND state = 'RECEIVED'",
                OffsetDateTime.parse("2000-01-01T00:00:00Z"), sender, referralId);
    }

    /**
     * For each service, the provider that first received it for another referral of the case <em>from the same
     * sender</em> (coordinator excluded). Never another agency's providers: a sender must not learn, nor steer a
     * referral to, where someone else placed the person (issue 10).
     */
    Map<String, String> providersHoldingCase(String caseId, String sender, String referralId) {
        Map<String, String> byService = new LinkedHashMap<>();
        jdbc.query("SELECT d.provider_id, d.services FROM delivery d JOIN referral r "
                        + "ON r.sender = d.sender AND r.referral_id = d.referral_id "
                        + "WHERE r.case_id = ? AND r.sender = ? AND r.referral_id <> ? AND d.provider_id <> 'coordinator' "
                        + "ORDER BY d.created_at, d.delivery_id",
                rs -> {
                    for (String service : rs.getString(2).split(",")) {
                        byService.putIfAbsent(service, rs.getString(1));
                    }
                }, caseId, sender, referralId);
        return byService;
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
}
