package org.referralbus.delivery;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.Uuids;
import org.referralbus.dedupe.CaseLinks;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.dedupe.StoredReferral;
import org.referralbus.delivery.NeedLedger.HistoryRow;
import org.referralbus.delivery.NeedLedger.NeedRow;
import org.referralbus.delivery.NeedLedger.NeedState;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * What became of a referral, for the agency that sent it and nobody else: each need with its provider, state and
 * history. Another agency's referral and an id nobody used get the very same answer, 404 {@code not_found} (issue
 * 10): the bus looks only among the caller's own referrals, so neither the answer nor the work done tells an agency
 * which ids exist. History details that only other senders' referrals or another participant's standing could explain
 * read neutrally ({@link SenderDetails}).
 */
@RestController
class ReferralStatusController {

    record HistoryEntry(String provider, NeedState state, OffsetDateTime at, String detail) {
    }

    record NeedStatus(String service, String provider, NeedState state, OffsetDateTime at, List<HistoryEntry> history) {
    }

    private final ReferralLedger referrals;
    private final NeedLedger needs;
    private final CaseLinks caseLinks;

    ReferralStatusController(ReferralLedger referrals, NeedLedger needs, CaseLinks caseLinks) {
        this.referrals = referrals;
        this.needs = needs;
        this.caseLinks = caseLinks;
    }

    @GetMapping(path = "/api/v1/referrals/{referralId}/status", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> status(@PathVariable("referralId") String asked, @AuthenticationPrincipal UserDetails agency) {
        String sender = agency.getUsername();
        String referralId = Uuids.key(asked);
        StoredReferral referral = referrals.find(sender, referralId).orElseThrow(ReferralStatusController::notFound);
        List<HistoryRow> history = needs.history(sender, referralId);
        List<NeedRow> current = needs.needs(sender, referralId);
        List<NeedStatus> needStatus = current.stream()
                .map(n -> new NeedStatus(n.service(), n.providerId(), n.state(), n.at(), history.stream()
                        .filter(h -> h.service().equals(n.service()))
                        .map(h -> new HistoryEntry(h.providerId(), h.state(), h.at(), SenderDetails.shown(h.detail())))
                        .toList()))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("referralId", referral.referralId());
        body.put("state", overall(referral, current));
        body.put("receivedAt", referral.receivedAt());
        // Whether another referral of the same person came first; never who sent it.
        body.put("linkedToExistingCase", caseLinks.isLinkedToExistingCase(sender, referralId));
        body.put("needs", needStatus);
        return body;
    }

    /**
     * CLOSED when every need is; ACCEPTED when every need is accepted or closed; otherwise the least advanced open
     * state; DECLINED when no need is open any more and one was declined with nobody left to take it (it read
     * DELIVERED, which told the sender someone had it).
     */
    static String overall(StoredReferral referral, List<NeedRow> rows) {
        if (rows.isEmpty()) {
            return referral.state().name();
        }
        if (rows.stream().allMatch(r -> r.state() == NeedState.CLOSED)) {
            return NeedState.CLOSED.name();
        }
        if (rows.stream().allMatch(r -> r.state() == NeedState.ACCEPTED || r.state() == NeedState.CLOSED)) {
            return NeedState.ACCEPTED.name();
        }
        if (rows.stream().anyMatch(r -> r.state() == NeedState.ROUTED)) {
            return NeedState.ROUTED.name();
        }
        if (rows.stream().anyMatch(r -> r.state() == NeedState.ESCALATED)) {
            return NeedState.ESCALATED.name();
        }
        if (rows.stream().anyMatch(r -> r.state() == NeedState.DELIVERED)) {
            return NeedState.DELIVERED.name();
        }
        return NeedState.DECLINED.name();
    }

    private static ReferralBusException notFound() {
        return new ReferralBusException(ErrorCode.NOT_FOUND, "No such referral from your agency");
    }
}
