package org.referralbus.routing;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a routing decision against the load of the providers that declare a capacity, so that the capacity holds
 * across bus instances: open cases come from the deliveries' owner ({@link OpenCases}) plus the places other
 * routings claimed ({@link ProviderPlaces}), counted and claimed under the capped providers' locks in one transaction.
 * The rules look at the load only to respect a declared capacity, so providers without one are not counted, and when
 * no capped provider offers the services nothing is asked, locked or written: the statements per referral then do not
 * grow with the deliveries stored. The referral's own copies and places are not counted: a retry, or a re-routing,
 * sees the provider as it was before this referral.
 */
@Component
class ProviderLoad {

    private final OpenCases openCases;
    private final ProviderPlaces places;
    private final ProviderRegistry registry;
    private final RoutingProperties properties;
    private final Clock clock;
    private final TransactionTemplate transaction;

    ProviderLoad(OpenCases openCases, ProviderPlaces places, ProviderRegistry registry, RoutingProperties properties, Clock clock,
                 PlatformTransactionManager transactions) {
        this.openCases = openCases;
        this.places = places;
        this.registry = registry;
        this.properties = properties;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * @param services the services being decided (a superset is fine): only capped providers offering one are locked
     * @param rules    the decision, given the open cases per capped provider
     */
    RoutingDecision decide(Referral referral, Collection<ServiceCode> services, Function<Map<String, Integer>, RoutingDecision> rules) {
        List<String> capped = registry.all().stream()
                .filter(p -> p.capacity() != null && services.stream().anyMatch(p::offers))
                .map(Provider::id).sorted().toList();
        if (capped.isEmpty()) {
            return rules.apply(Map.of());
        }
        places.ensureLockRows(capped);
        return transaction.execute(status -> {
            places.lock(capped);
            OffsetDateTime now = OffsetDateTime.now(clock);
            Map<String, Integer> load = new HashMap<>(openCases.perProviderSince(now.minus(properties.capacityWindow()), capped,
                    referral.sender(), referral.referralId()));
            places.heldByOthers(capped, now.minus(properties.placeHold()), referral.sender(), referral.referralId())
                    .forEach((provider, held) -> load.merge(provider, held, Integer::sum));
            RoutingDecision decision = rules.apply(load);
            for (Assignment assignment : decision.assignments()) {
                if (capped.contains(assignment.provider().id()) && !assignment.owned().isEmpty()) {
                    places.claim(assignment.provider().id(), referral.sender(), referral.referralId(), now);
                }
            }
            return decision;
        });
    }
}
