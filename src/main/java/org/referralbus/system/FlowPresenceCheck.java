package org.referralbus.system;

import org.apache.camel.CamelContext;
import org.referralbus.core.Flow;
import org.referralbus.core.StartupRefusal;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The bus refuses to run without its flow: with no {@code referral-flow.camel.yaml} loaded it would report healthy
 * while every submission waited for a route that does not exist and then failed.
 */
@Component
class FlowPresenceCheck {

    private final CamelContext camel;
    private final Environment environment;

    FlowPresenceCheck(CamelContext camel, Environment environment) {
        this.camel = camel;
        this.environment = environment;
    }

    @EventListener(ApplicationStartedEvent.class)
    void refuseToRunWithoutTheFlow() {
        if (camel.getRoutes().stream().noneMatch(route ->
                Flow.Endpoints.PROCESS_REFERRAL.equals(route.getEndpoint().getEndpointUri().replace("://", ":")))) {
            throw new StartupRefusal("the referral flow is not loaded (" + camel.getRoutes().size() + " routes from "
                            + environment.getProperty("camel.main.routes-include-pattern") + ", none serves "
                            + Flow.Endpoints.PROCESS_REFERRAL + ")",
                    "Set referral-bus.home to the folder holding routes/referral-flow.camel.yaml (by default the jar's folder), or set "
                            + "camel.main.routes-include-pattern (docs/operators.md, 'Configuration').");
        }
    }
}
