package org.referralbus.routing;

import java.util.ArrayList;
import java.util.List;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.validation.Referral;

/** Where a referral goes: one assignment per provider, in a deterministic order. */
public record RoutingDecision(List<Assignment> assignments) {

    /** One audit row per chosen provider, naming the rule for each need (ids and codes only). */
    public List<AuditEvent> auditEvents(Referral referral, AuditEventType type) {
        List<AuditEvent> events = new ArrayList<>();
        for (Assignment assignment : assignments) {
            String detail = assignment.ruleCodes();
            if (!assignment.reasons().isEmpty()) {
                detail = detail + ";" + String.join(",", assignment.reasons());
            }
            events.add(AuditEvent.of(type, referral.referralId(), referral.sender())
                    .withCounterpart(assignment.provider().id())
                    .withDetail(detail.length() <= 256 ? detail : detail.substring(0, 253) + "..."));
        }
        return events;
    }
}
