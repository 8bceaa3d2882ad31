package org.referralbus.audit;

import org.springframework.stereotype.Component;

/** Every auditor query leaves an AUDITOR_QUERIED row: who asked (participant or account id) and for what, in ids. */
@Component
class AuditorQueryLog {

    private static final int MAX_DETAIL = 256;

    private final AuditTrail trail;

    AuditorQueryLog(AuditTrail trail) {
        this.trail = trail;
    }

    void queried(String auditor, String what, String referralId) {
        String detail = what.length() > MAX_DETAIL ? what.substring(0, MAX_DETAIL) : what;
        trail.record(AuditEvent.of(AuditEventType.AUDITOR_QUERIED, referralId, auditor).withDetail(detail));
    }
}
