package org.referralbus.delivery;

import org.apache.camel.Header;
import org.referralbus.audit.AuditEventType;
import org.referralbus.core.Flow;
import org.springframework.stereotype.Component;

/** Flow step for a push the broker gave up on: audit it as dead-lettered and say which needs go to the coordinator. */
@Component
public class WebhookDeadLetters {

    private final Acknowledgements acknowledgements;

    public WebhookDeadLetters(Acknowledgements acknowledgements) {
        this.acknowledgements = acknowledgements;
    }

    /** @return the needs for the reroute route, or null if there is nothing (left) to re-route */
    public RerouteRequest escalate(@Header(Flow.Headers.DELIVERY_ID) String deliveryId,
                                   @Header(Flow.Headers.PROVIDER_ID) String providerId) {
        return acknowledgements.escalate(deliveryId, AuditEventType.DEAD_LETTERED, "WEBHOOK_FAILED:" + providerId).orElse(null);
    }
}
