package org.referralbus.delivery;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The delivery table: one row per sealed copy, keyed by the deterministic delivery id. */
@Component
class DeliveryLedger {

    enum State { SEALED, DELIVERED }

    record NewDelivery(String deliveryId, String sender, String referralId, String providerId, String services,
                       String rule, String channel, String envelopeSha256, byte[] sealedEnvelope, OffsetDateTime createdAt) {
    }

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
            jdbc.update("INSERT INTO delivery (delivery_id, sender, referral_id, provider_id, services, rule, channel, state, "
                            + "envelope_sha256, sealed_envelope, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    d.deliveryId(), d.sender(), d.referralId(), d.providerId(), d.services(), d.rule(), d.channel(),
                    State.SEALED.name(), d.envelopeSha256(), d.sealedEnvelope(), d.createdAt());
            return d.sealedEnvelope();
        } catch (DuplicateKeyException e) {
            return sealedEnvelope(d.deliveryId()).orElseThrow();
        }
    }

    /** Marks the copy as handed to its channel; true only for the first caller, so it is audited once. */
    boolean markDelivered(String deliveryId) {
        return jdbc.update("UPDATE delivery SET state = ? WHERE delivery_id = ? AND state = ?",
                State.DELIVERED.name(), deliveryId, State.SEALED.name()) == 1;
    }
}
