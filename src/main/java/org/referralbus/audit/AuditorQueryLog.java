package org.referralbus.audit;

import org.springframework.stereotype.Component;

/** Every auditor query leaves an AUDITOR_QUERIED row: who asked (participant or account id) and for what, in ids. */
@Component
class AuditorQueryLog {

    private static final int MAX_DETAIL = 256;

    private final AuditTrail trail;
    private final AuditorWords words;

    AuditorQueryLog(AuditTrail trail, AuditorWords words) {
        this.trail = trail;
        this.words = words;
    }

    /** @param referralId as the auditor typed it: kept only if it is a referral id ({@link AuditorWords}) */
    void queried(String auditor, String what, String referralId) {
        String detail = what.length() > MAX_DETAIL ? what.substring(0, MAX_DETAIL) : what;
        trail.record(AuditEvent.of(AuditEventType.AUDITOR_QUERIED, words.referralId(referralId), auditor).withDetail(detail));
    }

    /** The typed text as the trail may keep it. */
    String recordable(String typed) {
        return words.recordable(typed);
    }
}
