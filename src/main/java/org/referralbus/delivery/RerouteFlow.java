package org.referralbus.delivery;

import org.apache.camel.ProducerTemplate;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.springframework.stereotype.Component;

/**
 * Entry into the reroute route for callers outside Camel (an acknowledgement over HTTPS, the deadline sweep). The
 * route's failure is the caller's: a refusal while re-opening the envelope keeps its own code; anything else, such as
 * a copy that could not be dispatched, is an {@code internal_error}.
 */
@Component
class RerouteFlow {

    private final ProducerTemplate flow;

    RerouteFlow(ProducerTemplate flow) {
        this.flow = flow;
    }

    void reroute(RerouteRequest request) {
        Exception failure = flow.send(Flow.Endpoints.REROUTE, exchange -> exchange.getIn().setBody(request)).getException();
        if (failure instanceof ReferralBusException refused) {
            throw refused;
        }
        if (failure != null) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Re-routing of " + request.referralId() + " failed", failure);
        }
    }
}
