package org.referralbus.dedupe;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.referralbus.validation.Referral;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The referral table: one row per (sender, referralId), enforced by the primary key so that two bus instances
 * sharing the database cannot both accept the same referral.
 */
@Component
public class ReferralLedger {

    private static final String COLUMNS =
            "sender, referral_id, content_sha256, envelope_sha256, state, received_at, receipt_json, receipt_signature";

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
                    StoredReferral.State.RECEIVED.name(), at, referral.urgency(), envelope);
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** The sender's sealed envelope (encrypted for the bus), to re-open the referral for re-routing. */
    public Optional<byte[]> sealedEnvelope(String sender, String referralId) {
        return jdbc.query("SELECT envelope FROM referral WHERE sender = ? AND referral_id = ?",
                (rs, i) -> rs.getBytes(1), sender, referralId).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    public void markRouted(String sender, String referralId, Receipt receipt) {
        jdbc.update("UPDATE referral SET state = ?, receipt_json = ?, receipt_signature = ? "
                        + "WHERE sender = ? AND referral_id = ? AND state = ?",
                StoredReferral.State.ROUTED.name(), new String(receipt.json(), java.nio.charset.StandardCharsets.UTF_8),
                receipt.signature(), sender, referralId, StoredReferral.State.RECEIVED.name());
    }

    private static StoredReferral map(ResultSet rs, int row) throws SQLException {
        String json = rs.getString("receipt_json");
        Optional<Receipt> receipt = json == null ? Optional.empty()
                : Optional.of(new Receipt(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), rs.getBytes("receipt_signature")));
        return new StoredReferral(rs.getString("sender"), rs.getString("referral_id"), rs.getString("content_sha256").trim(),
                rs.getString("envelope_sha256").trim(), StoredReferral.State.valueOf(rs.getString("state")),
                rs.getObject("received_at", OffsetDateTime.class), receipt);
    }
}
