package org.referralbus.delivery;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.envelope.AdmittedEnvelope;
import org.referralbus.routing.Assignment;
import org.referralbus.routing.ProviderRegistry;
import org.referralbus.routing.ReferralRouting;
import org.referralbus.routing.RoutingDecision;
import org.referralbus.routing.RoutingRule;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/**
 * Steps of the reroute route ({@code routes/referral-flow.camel.yaml}): load the sender's sealed envelope kept in
 * the database (the plaintext is never stored), and decide who takes the needs now. Opening, validation, audit and
 * dispatch are the flow's own steps.
 */
@Component
public class Rerouting {

    private final ReferralLedger referrals;
    private final NeedLedger needs;
    private final ReferralRouting routing;
    private final ProviderRegistry registry;
    private final PendingReroutes pending;

    public Rerouting(ReferralLedger referrals, NeedLedger needs, ReferralRouting routing,
                     ProviderRegistry registry, PendingReroutes pending) {
        this.referrals = referrals;
        this.needs = needs;
        this.routing = routing;
        this.registry = registry;
        this.pending = pending;
    }

    /** The envelope exactly as the sender sealed it, and when the bus admitted it. */
    public AdmittedEnvelope storedEnvelope(@Body RerouteRequest request) {
        return referrals.sealedEnvelope(request.sender(), request.referralId()).orElseThrow(() ->
                new ReferralBusException(ErrorCode.INTERNAL_ERROR, "No stored envelope for referral " + request.referralId()));
    }

    /** Routes the services again, skipping every provider that declined or let them lapse. */
    public RoutingDecision toNextProvider(@ExchangeProperty(Flow.Properties.REROUTE_REQUEST) RerouteRequest request,
                                          @ExchangeProperty(Flow.Properties.REFERRAL) Referral referral) {
        Map<ServiceCode, Set<String>> declined = needs.declined(request.sender(), request.referralId());
        return routing.reroute(referral, declined, Set.copyOf(request.services()));
    }

    /** Hands the services straight to the coordinator, with the reason (e.g. {@code NO_ACK:shelter-dushanbe}). */
    public RoutingDecision toCoordinator(@ExchangeProperty(Flow.Properties.REROUTE_REQUEST) RerouteRequest request) {
        List<ServiceCode> services = request.services();
        List<RoutingRule> rulesApplied = services.stream().map(s -> RoutingRule.of(RoutingRule.Kind.ESCALATED, s)).toList();
        return new RoutingDecision(List.of(new Assignment(registry.coordinator(), services, services, rulesApplied,
                List.of(request.escalation()))));
    }

    /** Last step: every copy has gone out (or nobody was left to take the needs), so the re-routing is no longer due. */
    public void finished(@ExchangeProperty(Flow.Properties.REROUTE_REQUEST) RerouteRequest request) {
        pending.finished(request);
    }
}
