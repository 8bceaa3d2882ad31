package org.referralbus.delivery;

import java.time.Clock;
import java.time.OffsetDateTime;
import org.referralbus.audit.AuditEventType;
import org.referralbus.routing.ProviderRegistry;
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
    private final ProviderRegistry registry;
    private final Clock clock;

    AcknowledgementDeadlines(DeliveryLedger deliveries, Acknowledgements acknowledgements, RerouteFlow rerouting,
                             ProviderRegistry registry, Clock clock) {
        this.deliveries = deliveries;
        this.acknowledgements = acknowledgements;
        this.rerouting = rerouting;
        this.registry = registry;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${referral-bus.delivery.escalation-check:1m}", initialDelayString = "${referral-bus.delivery.escalation-check:1m}")
    void escalateOverdue() {
        // A provider whose certificate is no longer accepted can neither fetch nor answer: its waiting copies go to the
        // coordinator now, not at their deadline two days on (an outside walkthrough found them stuck there).
        for (String provider : registry.outOfStanding()) {
            for (String deliveryId : deliveries.awaitingAnswerFrom(provider)) {
                acknowledgements.escalate(deliveryId, AuditEventType.ESCALATED, "PROVIDER_SUSPENDED:" + provider)
                        .ifPresent(rerouting::reroute);
            }
        }
        for (String deliveryId : deliveries.overdue(OffsetDateTime.now(clock))) {
            String provider = deliveries.find(deliveryId).map(DeliveryLedger.DeliveryRow::providerId).orElse("unknown");
            acknowledgements.escalate(deliveryId, AuditEventType.ESCALATED, "NO_ACK:" + provider).ifPresent(rerouting::reroute);
        }
    }
}
