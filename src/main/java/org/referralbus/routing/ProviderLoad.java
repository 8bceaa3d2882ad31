package org.referralbus.routing;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Open cases per provider within the capacity window, asked of the deliveries' owner ({@link OpenCases}), so every
 * bus instance sees the same load.
 */
@Component
class ProviderLoad {

    private final OpenCases openCases;
    private final RoutingProperties properties;
    private final Clock clock;

    ProviderLoad(OpenCases openCases, RoutingProperties properties, Clock clock) {
        this.openCases = openCases;
        this.properties = properties;
        this.clock = clock;
    }

    Map<String, Integer> openCases() {
        return openCases.perProviderSince(OffsetDateTime.now(clock).minus(properties.capacityWindow()));
    }
}
