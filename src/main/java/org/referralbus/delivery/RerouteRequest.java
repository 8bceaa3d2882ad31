package org.referralbus.delivery;

import java.util.List;
import org.referralbus.schema.referral.ServiceCode;

/**
 * Needs of one referral that must move on: to the next eligible provider after a decline, or straight to the
 * coordinator after a missed deadline or a dead-lettered push.
 *
 * @param escalation why the coordinator takes them (e.g. {@code NO_ACK:shelter-dushanbe}); null to choose the next provider
 */
public record RerouteRequest(String sender, String referralId, List<ServiceCode> services, String escalation) {

    public RerouteRequest {
        services = List.copyOf(services);
    }

    public static RerouteRequest toNextProvider(String sender, String referralId, List<ServiceCode> services) {
        return new RerouteRequest(sender, referralId, services, null);
    }

    public static RerouteRequest toCoordinator(String sender, String referralId, List<ServiceCode> services, String reason) {
        return new RerouteRequest(sender, referralId, services, reason);
    }

    public boolean escalated() {
        return escalation != null;
    }
}
