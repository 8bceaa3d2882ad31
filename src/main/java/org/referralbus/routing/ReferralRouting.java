package org.referralbus.routing;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.Flow;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/**
 * Flow steps: decide where the referral goes, and audit which rule chose which provider for which need
 * ({@link RoutingDecision#auditEvents}): {@code REROUTED} here when needs move on after a decline, a missed deadline or
 * a dead-lettered push; a first routing's {@code ROUTED} rows commit with the copies it produces.
 */
@Component
public class ReferralRouting {

    private final RoutingRules rules;
    private final ProviderLoad load;
    private final AuditTrail audit;

    public ReferralRouting(RoutingRules rules, ProviderLoad load, AuditTrail audit) {
        this.rules = rules;
        this.load = load;
        this.audit = audit;
    }

    /**
     * @param link the referral's case (providers already holding it are preferred), or null. A place taken at a
     *             provider that declares a capacity is claimed before this returns ({@link ProviderLoad}).
     */
    public RoutingDecision route(@ExchangeProperty(Flow.Properties.REFERRAL) Referral referral,
                                 @ExchangeProperty(Flow.Properties.CASE_LINK) CaseLink link) {
        Set<ServiceCode> services = new LinkedHashSet<>(referral.services());
        if (referral.isMinor()) {
            services.add(ServiceCode.CHILD_PROTECTION);
        }
        RoutingDecision decision = load.decide(referral, services,
                openCases -> rules.decide(referral, new RoutingContext(openCases, Map.of(), null, link)));
        return decision; // its ROUTED rows are appended with the copies it produces (DeliveryDispatcher.prepareAll)
    }

    /** After re-routing decided: one {@code REROUTED} row per provider that now gets needs. */
    public void auditRerouted(@ExchangeProperty(Flow.Properties.REFERRAL) Referral referral, @Body RoutingDecision decision) {
        audit.recordAll(decision.auditEvents(referral, AuditEventType.REROUTED));
    }

    /**
     * Routes {@code services} again, never to a provider that declined them, under the same capacity locks and
     * claims as a first routing.
     */
    public RoutingDecision reroute(Referral referral, Map<ServiceCode, Set<String>> declined, Set<ServiceCode> services) {
        return load.decide(referral, services, openCases -> rules.decide(referral, new RoutingContext(openCases, declined, services)));
    }

}
