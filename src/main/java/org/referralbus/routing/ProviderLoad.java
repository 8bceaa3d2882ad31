package org.referralbus.routing;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Open cases within the capacity window of the providers that declare a capacity, asked of the deliveries' owner
 * ({@link OpenCases}), so every bus instance sees the same load. The rules look at the load only to respect a
 * declared capacity, so providers without one are not counted, and with none declared nothing is asked: the count
 * per referral then does not grow with the deliveries stored.
 */
@Component
class ProviderLoad {

    private final OpenCases openCases;
    private final ProviderRegistry registry;
    private final RoutingProperties properties;
    private final Clock clock;

    ProviderLoad(OpenCases openCases, ProviderRegistry registry, RoutingProperties properties, Clock clock) {
        this.openCases = openCases;
        this.registry = registry;
        this.properties = properties;
        this.clock = clock;
    }

    Map<String, Integer> openCases() {
        List<String> capped = registry.all().stream().filter(p -> p.capacity() != null).map(Provider::id).toList();
        if (capped.isEmpty()) {
            return Map.of();
        }
        return openCases.perProviderSince(OffsetDateTime.now(clock).minus(properties.capacityWindow()), capped);
    }
}
