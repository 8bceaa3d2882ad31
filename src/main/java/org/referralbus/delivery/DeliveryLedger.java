package org.referralbus.delivery;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The delivery table: one row per sealed copy, keyed by the deterministic delivery id. State moves forward only
 * (SEALED → DELIVERED → FETCHED → ACCEPTED | DECLINED | ESCALATED) through conditional updates, so each transition
 * happens, and is audited, once even when steps are retried or run on several bus instances.
 */
@Component
public class DeliveryLedger {

    public enum State { SEALED, DELIVERED, FETCHED, ACCEPTED, DECLINED, ESCALATED }

    record NewDelivery(String deliveryId, String sender, String referralId, String providerId, String services,
                       String rule, String channel, String urgency, String envelopeSha256, byte[] sealedEnvelope,
                       OffsetDateTime createdAt) {
    }

    public record DeliveryRow(String deliveryId, String sender, String referralId, String providerId, List<String> services,
                              State state, String channel, String urgency, OffsetDateTime createdAt) {
    }

    private static final String ROW_COLUMNS = "delivery_id, sender, referral_id, provider_id, services, state, channel, urgency, created_at";

    private final JdbcTemplate jdbc;

    DeliveryLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<byte[]> sealedEnvelope(String deliveryId) {
        return jdbc.query("SELECT sealed_envelope FROM delivery WHERE delivery_id = ?",
                (rs, row) -> rs.getBytes(1), deliveryId).stream().findFirst();
    }

    /** Stores the sealed copy unless an earlier attempt already did; returns the copy that is stored. */
    byte[] storeOnce(NewDelivery d) {
        try {
            jdbc.update("INSERT INTO delivery (delivery_id, sender, referral_id, provider_id, services, rule, channel, urgency, state, "
                            + "envelope_sha256, sealed_envelope, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    d.deliveryId(), d.sender(), d.referralId(), d.providerId(), d.services(), d.rule(), d.channel(),
                    d.urgency(), State.SEALED.name(), d.envelopeSha256(), d.sealedEnvelope(), d.createdAt());
            return d.sealedEnvelope();
        } catch (DuplicateKeyException e) {
            return sealedEnvelope(d.deliveryId()).orElseThrow();
        }
    }

    public Optional<DeliveryRow> find(String deliveryId) {
        return jdbc.query("SELECT " + ROW_COLUMNS + " FROM delivery WHERE delivery_id = ?", DeliveryLedger::row, deliveryId)
                .stream().findFirst();
    }

    /** Copies the provider has not yet accepted or declined, oldest first. */
    public List<DeliveryRow> pendingFor(String providerId) {
        return jdbc.query("SELECT " + ROW_COLUMNS + " FROM delivery WHERE provider_id = ? AND state IN ('DELIVERED', 'FETCHED') "
                + "ORDER BY created_at, delivery_id", DeliveryLedger::row, providerId);
    }

    /** Marks the copy as handed to its channel with its acknowledgement deadline; true only for the first caller. */
    boolean markDelivered(String deliveryId, OffsetDateTime ackDeadline) {
        return jdbc.update("UPDATE delivery SET state = 'DELIVERED', ack_deadline = ? WHERE delivery_id = ? AND state = 'SEALED'",
                ackDeadline, deliveryId) == 1;
    }

    boolean markFetched(String deliveryId, OffsetDateTime at) {
        return jdbc.update("UPDATE delivery SET state = 'FETCHED', fetched_at = ? WHERE delivery_id = ? AND state = 'DELIVERED'",
                at, deliveryId) == 1;
    }

    boolean acknowledge(String deliveryId, State decision, String reason, OffsetDateTime at) {
        return jdbc.update("UPDATE delivery SET state = ?, ack_decision = ?, ack_reason = ?, acked_at = ? "
                        + "WHERE delivery_id = ? AND state IN ('DELIVERED', 'FETCHED')",
                decision.name(), decision.name(), reason, at, deliveryId) == 1;
    }

    boolean escalate(String deliveryId, String reason) {
        return jdbc.update("UPDATE delivery SET state = 'ESCALATED', ack_reason = ? WHERE delivery_id = ? AND state IN ('SEALED', 'DELIVERED', 'FETCHED')",
                reason, deliveryId) == 1;
    }

    List<String> overdue(OffsetDateTime now) {
        return jdbc.queryForList("SELECT delivery_id FROM delivery WHERE state IN ('DELIVERED', 'FETCHED') AND ack_deadline < ? "
                + "AND provider_id <> 'coordinator' ORDER BY ack_deadline", String.class, now);
    }

    private static DeliveryRow row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new DeliveryRow(rs.getString("delivery_id"), rs.getString("sender"), rs.getString("referral_id"),
                rs.getString("provider_id"), Arrays.asList(rs.getString("services").split(",")), State.valueOf(rs.getString("state")),
                rs.getString("channel"), rs.getString("urgency"), rs.getObject("created_at", OffsetDateTime.class));
    }
}
