package org.referralbus.delivery;

import java.time.Clock;
import java.time.OffsetDateTime;
import org.referralbus.audit.AuditEventType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Escalates deliveries nobody acknowledged in time. Deadlines are in the database, and escalation is a conditional
 * update, so several bus instances may run this sweep at once without escalating anything twice. The open needs
 * go to the coordinator through the reroute route.
 */
@Component
class AcknowledgementDeadlines {

    private final DeliveryLedger deliveries;
    private final Acknowledgements acknowledgements;
    private final RerouteFlow rerouting;
    private final Clock clock;

    AcknowledgementDeadlines(DeliveryLedger deliveries, Acknowledgements acknowledgements, RerouteFlow rerouting, Clock clock) {
        this.deliveries = deliveries;
        this.acknowledgements = acknowledgements;
        this.rerouting = rerouting;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${referral-bus.delivery.escalation-check:1m}", initialDelayString = "${referral-bus.delivery.escalation-check:1m}")
    void escalateOverdue() {
        for (String deliveryId : deliveries.overdue(OffsetDateTime.now(clock))) {
            String provider = deliveries.find(deliveryId).map(DeliveryLedger.DeliveryRow::providerId).orElse("unknown");
            acknowledgements.escalate(deliveryId, AuditEventType.ESCALATED, "NO_ACK:" + provider).ifPresent(rerouting::reroute);
        }
    }
}
