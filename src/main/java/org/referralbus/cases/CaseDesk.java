package org.referralbus.cases;

import java.util.List;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.dedupe.CaseCorrections;
import org.referralbus.delivery.CaseNotice;
import org.referralbus.delivery.CaseNotices;
import org.springframework.stereotype.Component;

/**
 * The coordinator's case desk: a merge or split commits first ({@link CaseCorrections}), then the providers holding
 * the case are told ({@link CaseNotices}). A provider not told does not undo the correction; the answer names it
 * and says why, so the coordinator can follow up by phone where that is right (never for {@code never-given-the-case}).
 */
@Component
class CaseDesk {

    /** The answer to a merge or split: what changed and who was told, ids only. */
    record Outcome(String kind, String caseId, String otherCaseId, List<Moved> moved, List<Told> providersTold,
                   List<NotTold> providersNotTold) {
    }

    record Moved(String sender, String referralId) {
    }

    record Told(String providerId, String referralId, String caseId, String reason) {
    }

    /**
     * @param notToldBecause {@code never-given-the-case} (no copy it received named a case: leave it untold),
     *                       {@code out-of-standing} or {@code not-sent:<error code>} (tell it otherwise)
     */
    record NotTold(String providerId, String referralId, String caseId, String reason, String notToldBecause) {
    }

    private static final java.util.regex.Pattern CASE_ID = java.util.regex.Pattern.compile("[0-9a-f-]{36}");

    private final CaseCorrections corrections;
    private final CaseNotices notices;
    private final RefusalTally refusals;

    CaseDesk(CaseCorrections corrections, CaseNotices notices, RefusalTally refusals) {
        this.corrections = corrections;
        this.notices = notices;
        this.refusals = refusals;
    }

    /** Audits a refused request: {@code REJECTED} by the participant, counterpart {@code case:<id>}, detail {@code code;action}. */
    void refused(String participant, String caseId, String action, ErrorCode code) {
        // The path is the caller's text: only a case id shaped like one goes into the trail.
        String named = caseId != null && CASE_ID.matcher(caseId).matches() ? caseId : "(not a case id)";
        refusals.count(AuditEvent.of(AuditEventType.REJECTED, null, participant).withCounterpart("case:" + named)
                .withDetail(code.code() + ";" + action));
    }

    CaseCorrections.CaseView view(String caseId) {
        return corrections.view(caseId);
    }

    /** The case holding the sender's referral: how the coordinator finds a case no copy named (one that was never linked). */
    CaseCorrections.CaseView viewOf(String sender, String referralId) {
        return corrections.caseOf(sender, referralId).map(corrections::view).orElseThrow(() -> new ReferralBusException(
                ErrorCode.NOT_FOUND, "No referral " + referralId + " from " + sender + " is in a case: check the sender and the id"));
    }

    Outcome merge(String coordinator, String caseId, String otherCaseId) {
        return tell(corrections.merge(coordinator, caseId, otherCaseId));
    }

    Outcome split(String coordinator, String caseId, String sender, String referralId) {
        return tell(corrections.split(coordinator, caseId, sender, referralId));
    }

    private Outcome tell(CaseCorrections.Corrected corrected) {
        CaseNotices.Told told = notices.tell(corrected.affected());
        CaseCorrections.Correction correction = corrected.correction();
        return new Outcome(correction.kind().name(), correction.caseId(), correction.otherCaseId(),
                corrected.moved().stream().map(m -> new Moved(m.sender(), m.referralId())).toList(),
                told.sent().stream().map(CaseDesk::told).toList(), told.notTold().stream().map(CaseDesk::notTold).toList());
    }

    private static NotTold notTold(CaseNotices.NotTold untold) {
        CaseNotice notice = untold.notice();
        return new NotTold(notice.providerId(), notice.referralId(), notice.caseId(), notice.reason(), untold.because());
    }

    private static Told told(CaseNotice notice) {
        return new Told(notice.providerId(), notice.referralId(), notice.caseId(), notice.reason());
    }
}
