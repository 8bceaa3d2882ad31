package org.referralbus.delivery;

import java.util.List;
import org.referralbus.schema.referral.ServiceCode;

/**
 * Needs of one referral that must move on: to the next eligible provider after a decline, or straight to the
 * coordinator after a missed deadline or a dead-lettered push.
 *
 * @param escalation   why the coordinator takes them (e.g. {@code NO_ACK:shelter-dushanbe}); null to choose the next provider
 * @param fromDelivery the delivery that gave them up: names the re-routing that is due ({@link PendingReroutes})
 */
public record RerouteRequest(String sender, String referralId, List<ServiceCode> services, String escalation, String fromDelivery) {

    public RerouteRequest {
        services = List.copyOf(services);
    }

    public static RerouteRequest toNextProvider(DeliveryLedger.DeliveryRow declined, List<ServiceCode> services) {
        return new RerouteRequest(declined.sender(), declined.referralId(), services, null, declined.deliveryId());
    }

    public static RerouteRequest toCoordinator(DeliveryLedger.DeliveryRow escalated, List<ServiceCode> services, String reason) {
        return new RerouteRequest(escalated.sender(), escalated.referralId(), services, reason, escalated.deliveryId());
    }

    /** The same re-routing, for some of its needs only. */
    public RerouteRequest withServices(List<ServiceCode> only) {
        return new RerouteRequest(sender, referralId, only, escalation, fromDelivery);
    }

    public boolean escalated() {
        return escalation != null;
    }
}
