package org.referralbus.cases;

import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.RefusalsAuditedHere;
import org.referralbus.core.Uuids;
import org.referralbus.dedupe.CaseCorrections;
import org.referralbus.routing.RegistryProperties;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The coordinator's view and corrections of cases (issue 16), over mutual TLS; any other participant is refused
 * ({@code forbidden}). {@code GET /api/v1/cases/{caseId}} lists the case's referrals with the rule and score that put
 * each there, and the corrections made; {@code POST …/merge} merges another case into this one; {@code POST …/split}
 * takes a referral (and its updates) out into a new case. Problems: {@code not_found} (unknown case),
 * {@code referral_not_in_case}, {@code invalid_request}.
 */
@RestController
@RefusalsAuditedHere // with the case named (CaseDesk.refused)
class CaseController {

    record MergeRequest(String otherCaseId) {
    }

    /** {@code sender} is needed only if two agencies filed the same referral id in the case. */
    record SplitRequest(String referralId, String sender) {
    }

    private final CaseDesk desk;
    private final RegistryProperties registry;

    CaseController(CaseDesk desk, RegistryProperties registry) {
        this.desk = desk;
        this.registry = registry;
    }

    @GetMapping(path = "/api/v1/cases/{caseId}", produces = MediaType.APPLICATION_JSON_VALUE)
    CaseCorrections.CaseView show(@AuthenticationPrincipal UserDetails participant, @PathVariable String caseId) {
        return audited(participant, caseId, "case-view", () -> {
            coordinatorOnly(participant, "look at a case");
            return desk.view(caseId);
        });
    }

    /** The case a referral is in, found by its sender and id: for a referral no copy to the coordinator named a case of. */
    @GetMapping(path = "/api/v1/cases", produces = MediaType.APPLICATION_JSON_VALUE)
    CaseCorrections.CaseView find(@AuthenticationPrincipal UserDetails participant, @RequestParam String sender,
                                  @RequestParam String referralId) {
        return audited(participant, null, "case-find", () -> {
            coordinatorOnly(participant, "look for a case");
            return desk.viewOf(sender, Uuids.key(referralId));
        });
    }

    @PostMapping(path = "/api/v1/cases/{caseId}/merge", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    CaseDesk.Outcome merge(@AuthenticationPrincipal UserDetails participant, @PathVariable String caseId,
                           @RequestBody MergeRequest request) {
        return audited(participant, caseId, "case-merge", () -> {
            coordinatorOnly(participant, "merge cases");
            if (request == null || blank(request.otherCaseId())) {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Give otherCaseId: the case to merge into " + caseId);
            }
            return desk.merge(participant.getUsername(), caseId, request.otherCaseId());
        });
    }

    @PostMapping(path = "/api/v1/cases/{caseId}/split", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    CaseDesk.Outcome split(@AuthenticationPrincipal UserDetails participant, @PathVariable String caseId,
                           @RequestBody SplitRequest request) {
        return audited(participant, caseId, "case-split", () -> {
            coordinatorOnly(participant, "split a case");
            if (request == null || blank(request.referralId())) {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Give referralId: the referral to take out of " + caseId);
            }
            return desk.split(participant.getUsername(), caseId, blank(request.sender()) ? null : request.sender(),
                    Uuids.key(request.referralId()));
        });
    }

    /** A refusal is audited ({@code REJECTED}, counted per window: a caller can repeat it at will), then answered. */
    private <T> T audited(UserDetails participant, String caseId, String action, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (ReferralBusException refused) {
            desk.refused(participant.getUsername(), caseId, action, refused.errorCode());
            throw refused;
        }
    }

    private void coordinatorOnly(UserDetails participant, String what) {
        if (!registry.coordinator().equals(participant.getUsername())) {
            throw new ReferralBusException(ErrorCode.FORBIDDEN, "Only the coordinator may " + what);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
