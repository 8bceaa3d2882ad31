package org.referralbus.delivery;

import org.apache.camel.Exchange;
import org.referralbus.audit.AuditEventType;
import org.springframework.stereotype.Component;

/** Flow step for a push the broker gave up on: audit it as dead-lettered and give the needs to the coordinator. */
@Component
public class WebhookDeadLetters {

    private final Acknowledgements acknowledgements;

    public WebhookDeadLetters(Acknowledgements acknowledgements) {
        this.acknowledgements = acknowledgements;
    }

    public void escalate(Exchange exchange) {
        String deliveryId = exchange.getIn().getHeader(DeliveryDispatcher.DELIVERY_ID, String.class);
        String providerId = exchange.getIn().getHeader(DeliveryDispatcher.PROVIDER_ID, String.class);
        acknowledgements.escalate(deliveryId, AuditEventType.DEAD_LETTERED, "WEBHOOK_FAILED:" + providerId);
    }
}
