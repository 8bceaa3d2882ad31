package org.referralbus.delivery;

import java.util.Arrays;
import java.util.Locale;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.delivery.DeliveryLedger.DeliveryRow;
import org.springframework.stereotype.Component;

/**
 * A provider's answer on one of its deliveries, whichever way it came (HTTPS inbox, its AMQP acknowledgement queue):
 * the one place that checks the delivery is the provider's and reads the decision, then hands it to
 * {@link Acknowledgements}. Another provider's delivery is answered exactly like one that does not exist
 * ({@code not_found}), so ids cannot be probed.
 */
@Component
class ProviderAnswers {

    private final DeliveryLedger deliveries;
    private final Acknowledgements acknowledgements;

    ProviderAnswers(DeliveryLedger deliveries, Acknowledgements acknowledgements) {
        this.deliveries = deliveries;
        this.acknowledgements = acknowledgements;
    }

    /**
     * @param providerId the authenticated provider (TLS client, or the queue the broker let only it send to)
     * @param decision   {@code ACCEPTED} or {@code DECLINED}, any case
     * @param reason     a {@link Acknowledgements.DeclineReason}, any case, or null
     */
    DeliveryRow acknowledge(String providerId, String deliveryId, String decision, String reason) {
        DeliveryRow delivery = owned(providerId, deliveryId);
        Acknowledgements.Decision parsed = parse(Acknowledgements.Decision.class, decision, "decision");
        Acknowledgements.DeclineReason why = reason == null ? null : parse(Acknowledgements.DeclineReason.class, reason, "reason");
        if (why != null && parsed != Acknowledgements.Decision.DECLINED) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "A reason goes with DECLINED only; send ACCEPTED without one");
        }
        return acknowledgements.acknowledge(delivery, parsed, why);
    }

    /** The provider reports an accepted case closed. */
    DeliveryRow close(String providerId, String deliveryId) {
        return acknowledgements.close(owned(providerId, deliveryId));
    }

    DeliveryRow owned(String providerId, String deliveryId) {
        return deliveries.find(deliveryId)
                .filter(d -> d.providerId().equals(providerId))
                .orElseThrow(() -> new ReferralBusException(ErrorCode.NOT_FOUND, "No such delivery in your inbox"));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        if (value == null || value.isBlank()) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Give " + field + ": one of " + Arrays.toString(type.getEnumConstants()));
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Unknown " + field + "; expected one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
