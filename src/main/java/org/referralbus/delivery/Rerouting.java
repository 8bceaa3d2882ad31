package org.referralbus.delivery;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ExchangeKeys;
import org.referralbus.core.ReferralBusException;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.routing.Assignment;
import org.referralbus.routing.ProviderRegistry;
import org.referralbus.routing.ReferralRouting;
import org.referralbus.routing.RoutingDecision;
import org.referralbus.routing.RoutingRules;
import org.referralbus.validation.Referral;
import org.referralbus.validation.ReferralReader;
import org.springframework.stereotype.Component;

/**
 * Gives needs a new provider after a decline, a missed deadline or a dead-lettered push. The referral is re-opened
 * from the sender's sealed envelope kept in the database (the plaintext is never stored), routed again without the
 * providers that already declined, and each new copy goes through the same dispatch steps as a first delivery.
 */
@Component
public class Rerouting {

    static final String DISPATCH_DELIVERY = "direct:dispatch-delivery";

    private final ReferralLedger referrals;
    private final NeedLedger needs;
    private final EnvelopeOpener opener;
    private final ReferralReader reader;
    private final RoutingRules rules;
    private final ReferralRouting routing;
    private final ProviderRegistry registry;
    private final AuditTrail audit;
    private final ProducerTemplate flow;

    public Rerouting(ReferralLedger referrals, NeedLedger needs, EnvelopeOpener opener, ReferralReader reader,
                     RoutingRules rules, ReferralRouting routing, ProviderRegistry registry, AuditTrail audit, ProducerTemplate flow) {
        this.referrals = referrals;
        this.needs = needs;
        this.opener = opener;
        this.reader = reader;
        this.rules = rules;
        this.routing = routing;
        this.registry = registry;
        this.audit = audit;
        this.flow = flow;
    }

    /** Routes the services again, skipping every provider that declined or let them lapse. */
    public void toNextProvider(String sender, String referralId, List<String> services) {
        Reopened reopened = reopen(sender, referralId);
        Map<String, Set<String>> declined = needs.declined(sender, referralId);
        RoutingDecision decision = rules.decide(reopened.referral(), routing.contextFor(declined, Set.copyOf(services)));
        dispatch(reopened, decision);
    }

    /** Hands the services straight to the coordinator, with the reason (e.g. {@code NO_ACK:shelter-dushanbe}). */
    public void toCoordinator(String sender, String referralId, List<String> services, String reason) {
        Reopened reopened = reopen(sender, referralId);
        List<String> rulesApplied = services.stream().map(s -> "escalated:" + s).toList();
        Assignment assignment = new Assignment(registry.coordinator(), services, services, rulesApplied, List.of(reason));
        dispatch(reopened, new RoutingDecision(List.of(assignment)));
    }

    private void dispatch(Reopened reopened, RoutingDecision decision) {
        ReferralRouting.auditDecision(audit, reopened.referral(), decision, AuditEventType.REROUTED);
        for (Assignment assignment : decision.assignments()) {
            Exception failure = flow.send(DISPATCH_DELIVERY, exchange -> {
                exchange.setProperty(ExchangeKeys.REFERRAL, reopened.referral());
                exchange.setProperty(ExchangeKeys.OPENED, reopened.envelope());
                exchange.getIn().setBody(assignment);
            }).getException();
            if (failure != null) {
                throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Re-routing of " + reopened.referral().referralId()
                        + " to " + assignment.provider().id() + " failed", failure);
            }
        }
    }

    private Reopened reopen(String sender, String referralId) {
        byte[] sealed = referrals.sealedEnvelope(sender, referralId).orElseThrow(() ->
                new ReferralBusException(ErrorCode.INTERNAL_ERROR, "No stored envelope for referral " + referralId));
        OpenedEnvelope envelope = opener.open(sealed);
        return new Reopened(envelope, reader.read(envelope.content()));
    }

    private record Reopened(OpenedEnvelope envelope, Referral referral) {
    }
}
