package org.referralbus.delivery;

import java.util.Optional;
import org.apache.camel.Header;
import org.referralbus.audit.AuditEventType;
import org.referralbus.core.Flow;
import org.referralbus.core.LogSafe;
import org.referralbus.routing.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Flow step for a push the broker gave up on: audit it as dead-lettered and say which needs go to the coordinator.
 * Only the delivery id is read from the message; the provider, and whether it was a webhook push at all, come from
 * the delivery ledger, so a forged dead letter cannot name whom it escalates, nor escalate a queue or inbox copy.
 */
@Component
public class WebhookDeadLetters {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeadLetters.class);

    private final Acknowledgements acknowledgements;
    private final DeliveryLedger deliveries;

    public WebhookDeadLetters(Acknowledgements acknowledgements, DeliveryLedger deliveries) {
        this.acknowledgements = acknowledgements;
        this.deliveries = deliveries;
    }

    /** @return the needs for the reroute route, or null if there is nothing (left) to re-route */
    public RerouteRequest escalate(@Header(Flow.Headers.DELIVERY_ID) String deliveryId) {
        Optional<DeliveryLedger.DeliveryRow> delivery = deliveryId == null ? Optional.empty() : deliveries.find(deliveryId);
        if (delivery.isEmpty() || !Provider.DeliveryChannel.WEBHOOK.name().equals(delivery.get().channel())) {
            log.warn("A dead letter on {} names no webhook delivery (delivery id {}): dropped", Flow.Queues.WEBHOOKS_DEAD,
                    LogSafe.value(deliveryId));
            return null;
        }
        return acknowledgements.escalate(deliveryId, AuditEventType.DEAD_LETTERED, "WEBHOOK_FAILED:" + delivery.get().providerId())
                .orElse(null);
    }
}
