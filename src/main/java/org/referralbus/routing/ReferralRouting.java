package org.referralbus.routing;

import org.apache.camel.Exchange;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ExchangeKeys;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/** Flow step: decide where the referral goes and audit which rule chose which provider for which need. */
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

    public void route(Exchange exchange) {
        Referral referral = exchange.getProperty(ExchangeKeys.REFERRAL, Referral.class);
        RoutingContext context = new RoutingContext(load.openCases(), java.util.Map.of(), null,
                exchange.getProperty(ExchangeKeys.CASE_LINK, CaseLink.class));
        RoutingDecision decision = rules.decide(referral, context);
        auditDecision(audit, referral, decision, AuditEventType.ROUTED);
        exchange.setProperty(ExchangeKeys.DECISION, decision);
        exchange.getIn().setBody(decision.assignments());
    }

    /** One audit row per chosen provider, naming the rule for each need (ids and codes only). */
    public static void auditDecision(AuditTrail audit, Referral referral, RoutingDecision decision, AuditEventType type) {
        for (Assignment assignment : decision.assignments()) {
            String detail = String.join(",", assignment.rules());
            if (!assignment.reasons().isEmpty()) {
                detail = detail + ";" + String.join(",", assignment.reasons());
            }
            audit.record(AuditEvent.of(type, referral.referralId(), referral.sender())
                    .withCounterpart(assignment.provider().id())
                    .withDetail(detail.length() <= 256 ? detail : detail.substring(0, 253) + "..."));
        }
    }

    public RoutingContext contextFor(java.util.Map<String, java.util.Set<String>> declined, java.util.Set<String> services) {
        return new RoutingContext(load.openCases(), declined, services);
    }
}
