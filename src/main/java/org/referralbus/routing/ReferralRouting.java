package org.referralbus.routing;

import org.apache.camel.Exchange;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.intake.ExchangeKeys;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/** Flow step: decide where the referral goes and audit which rule chose which provider for which need. */
@Component
public class ReferralRouting {

    private final RoutingRules rules;
    private final AuditTrail audit;

    public ReferralRouting(RoutingRules rules, AuditTrail audit) {
        this.rules = rules;
        this.audit = audit;
    }

    public void route(Exchange exchange) {
        Referral referral = exchange.getProperty(ExchangeKeys.REFERRAL, Referral.class);
        RoutingDecision decision = rules.decide(referral, exchange.getProperty(ExchangeKeys.CASE_LINK, CaseLink.class));
        for (Assignment assignment : decision.assignments()) {
            String detail = String.join(",", assignment.rules());
            if (!assignment.reasons().isEmpty()) {
                detail = detail + ";" + String.join(",", assignment.reasons());
            }
            audit.record(AuditEvent.of(AuditEventType.ROUTED, referral.referralId(), referral.sender())
                    .withCounterpart(assignment.provider().id())
                    .withDetail(truncate(detail)));
        }
        exchange.setProperty(ExchangeKeys.DECISION, decision);
        exchange.getIn().setBody(decision.assignments());
    }

    private static String truncate(String detail) {
        return detail.length() <= 256 ? detail : detail.substring(0, 253) + "...";
    }
}
