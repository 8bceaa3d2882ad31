package org.referralbus.routing;

import java.util.Map;
import java.util.Set;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.schema.referral.ServiceCode;

/**
 * What the rules need to know besides the referral: how loaded providers are, and who already declined which
 * need (a declined provider is never asked again for the same need).
 *
 * @param openCases  open cases per provider id (missing = 0)
 * @param declined   provider ids that declined, per service
 * @param onlyServices when re-routing, the services to decide; null for a first routing
 * @param caseLink   the case this referral belongs to (same person or an update), or null
 */
public record RoutingContext(Map<String, Integer> openCases, Map<ServiceCode, Set<String>> declined, Set<ServiceCode> onlyServices,
                             CaseLink caseLink) {

    public static final RoutingContext FIRST = new RoutingContext(Map.of(), Map.of(), null, null);

    public RoutingContext(Map<String, Integer> openCases, Map<ServiceCode, Set<String>> declined, Set<ServiceCode> onlyServices) {
        this(openCases, declined, onlyServices, null);
    }

    boolean isFirstRouting() {
        return onlyServices == null;
    }

    boolean declinedBy(ServiceCode service, String providerId) {
        return declined.getOrDefault(service, Set.of()).contains(providerId);
    }
}
