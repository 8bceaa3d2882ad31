package org.referralbus.delivery;

import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.referralbus.support.ProblemDetails.noDetail;
import static org.referralbus.support.ProblemDetails.problem;
import static org.referralbus.support.ProblemDetails.revealsNone;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.x509;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.dedupe.CaseLinks;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.dedupe.StoredReferral;
import org.referralbus.delivery.NeedLedger.HistoryRow;
import org.referralbus.delivery.NeedLedger.NeedRow;
import org.referralbus.delivery.NeedLedger.NeedState;
import org.referralbus.support.SampleKeys;
import org.referralbus.system.ApiSecurityForSlices;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Slice of the status endpoint with the real mutual-TLS security chain ({@link ApiSecurityForSlices}): the
 * agency is the sample certificate {@code ngo-hotline}, presented with MockMvc's {@code x509(...)}, so every
 * ledger question is asked for the sender named in a certificate. Ledgers and case links are mocks; here, the
 * shape of the answer (each need with only its own history, the overall state) and how failures look.
 */
@WebMvcTest(ReferralStatusController.class)
@Import(ApiSecurityForSlices.class)
class ReferralStatusControllerWebTest {

    private static final X509Certificate AGENCY = SampleKeys.certificateOf("agencies", "ngo-hotline");
    private static final X509Certificate PROVIDER = SampleKeys.certificateOf("providers", "shelter-dushanbe");
    private static final OffsetDateTime RECEIVED = OffsetDateTime.parse("2026-12-01T08:00:00Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ReferralLedger referrals;

    @MockitoBean
    NeedLedger needs;

    @MockitoBean
    CaseLinks caseLinks;

    @MockitoBean
    JdbcTemplate jdbc;

    @Test
    void statusListsEachNeedWithOnlyItsOwnHistory() throws Exception {
        referral("r-1", StoredReferral.State.ROUTED);
        when(needs.needs("ngo-hotline", "r-1")).thenReturn(List.of(
                new NeedRow("SHELTER", "shelter-dushanbe", "d-1", NeedState.ACCEPTED, RECEIVED.plusHours(3)),
                new NeedRow("LEGAL", "legal-aid-khujand", "d-3", NeedState.DELIVERED, RECEIVED.plusHours(5))));
        when(needs.history("ngo-hotline", "r-1")).thenReturn(List.of(
                new HistoryRow("SHELTER", "shelter-dushanbe", NeedState.ROUTED, "rule:adult-shelter", RECEIVED.plusMinutes(1)),
                new HistoryRow("LEGAL", "legal-aid-dushanbe", NeedState.ROUTED, "rule:legal", RECEIVED.plusMinutes(1)),
                new HistoryRow("SHELTER", "shelter-dushanbe", NeedState.ACCEPTED, null, RECEIVED.plusHours(3)),
                new HistoryRow("LEGAL", "legal-aid-dushanbe", NeedState.DECLINED, "NO_CAPACITY", RECEIVED.plusHours(4)),
                new HistoryRow("LEGAL", "legal-aid-khujand", NeedState.DELIVERED, null, RECEIVED.plusHours(5))));
        when(caseLinks.isLinkedToExistingCase("ngo-hotline", "r-1")).thenReturn(true);

        mvc.perform(get("/api/v1/referrals/r-1/status").with(x509(AGENCY)))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.referralId").value("r-1"))
                .andExpect(jsonPath("$.state").value("DELIVERED"))
                .andExpect(jsonPath("$.receivedAt").value("2026-12-01T08:00:00Z"))
                .andExpect(jsonPath("$.linkedToExistingCase").value(true))
                .andExpect(jsonPath("$.needs.length()").value(2))
                .andExpect(jsonPath("$.needs[0].service").value("SHELTER"))
                .andExpect(jsonPath("$.needs[0].provider").value("shelter-dushanbe"))
                .andExpect(jsonPath("$.needs[0].state").value("ACCEPTED"))
                .andExpect(jsonPath("$.needs[0].at").value("2026-12-01T11:00:00Z"))
                .andExpect(jsonPath("$.needs[0].history.length()").value(2))
                .andExpect(jsonPath("$.needs[0].history[1].state").value("ACCEPTED"))
                .andExpect(jsonPath("$.needs[1].history.length()").value(3))
                .andExpect(jsonPath("$.needs[1].history[1].provider").value("legal-aid-dushanbe"))
                .andExpect(jsonPath("$.needs[1].history[1].detail").value("NO_CAPACITY"))
                // the status names no delivery ids, hashes or the receipt
                .andExpect(jsonPath("$.needs[0].deliveryId").doesNotExist())
                .andExpect(jsonPath("$.envelopeSha256").doesNotExist());
    }

    /**
     * Outside review, December 2026: a need held by the coordinator because the person is in another agency's case read
     * {@code coordinator-review:SHELTER}, the only detail nothing else writes, and a suspended provider's escalation named
     * why it was out. The sender now reads what happened to its referral, not why: the stored rows keep the whole detail.
     */
    @Test
    void historyDetailsOnlyOtherReferralsOrAProvidersStandingExplainReadNeutrally() throws Exception {
        referral("r-6", StoredReferral.State.ROUTED);
        when(needs.needs("ngo-hotline", "r-6")).thenReturn(List.of(
                new NeedRow("SHELTER", "coordinator", "d-1", NeedState.DELIVERED, RECEIVED),
                new NeedRow("LEGAL", "coordinator", "d-2", NeedState.DELIVERED, RECEIVED),
                new NeedRow("MEDICAL", "coordinator", "d-3", NeedState.DELIVERED, RECEIVED)));
        when(needs.history("ngo-hotline", "r-6")).thenReturn(List.of(
                new HistoryRow("SHELTER", "coordinator", NeedState.ROUTED, "coordinator-review:SHELTER", RECEIVED),
                new HistoryRow("LEGAL", "coordinator", NeedState.ROUTED, "no-capacity:LEGAL", RECEIVED),
                new HistoryRow("MEDICAL", "medical-dushanbe", NeedState.ROUTED, "regional:MEDICAL", RECEIVED),
                new HistoryRow("MEDICAL", "medical-dushanbe", NeedState.ESCALATED, "PROVIDER_SUSPENDED:medical-dushanbe", RECEIVED),
                new HistoryRow("MEDICAL", "coordinator", NeedState.ROUTED, "escalated:MEDICAL", RECEIVED)));

        mvc.perform(get("/api/v1/referrals/r-6/status").with(x509(AGENCY)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.needs[0].history[0].detail").value("coordinator:SHELTER"))
                .andExpect(jsonPath("$.needs[1].history[0].detail").value("coordinator:LEGAL"))
                .andExpect(jsonPath("$.needs[2].history[0].detail").value("regional:MEDICAL"))
                .andExpect(jsonPath("$.needs[2].history[1].detail").value("PROVIDER_UNAVAILABLE:medical-dushanbe"))
                .andExpect(jsonPath("$.needs[2].history[2].detail").value("escalated:MEDICAL"))
                .andExpect(revealsNone("coordinator-review", "no-capacity", "SUSPENDED"));
    }

    @Test
    void referralWithoutNeedsYetReportsItsOwnState() throws Exception {
        referral("r-2", StoredReferral.State.RECEIVED);

        mvc.perform(get("/api/v1/referrals/r-2/status").with(x509(AGENCY)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("RECEIVED"))
                .andExpect(jsonPath("$.linkedToExistingCase").value(false))
                .andExpect(jsonPath("$.needs.length()").value(0));
    }

    @Test
    void referralIsAcceptedWhenEveryNeedIs() throws Exception {
        referral("r-3", StoredReferral.State.ROUTED);
        when(needs.needs("ngo-hotline", "r-3")).thenReturn(List.of(
                new NeedRow("SHELTER", "shelter-dushanbe", "d-1", NeedState.ACCEPTED, RECEIVED),
                new NeedRow("MEDICAL", "medical-dushanbe", "d-2", NeedState.ACCEPTED, RECEIVED)));

        mvc.perform(get("/api/v1/referrals/r-3/status").with(x509(AGENCY)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("ACCEPTED"));
    }

    /** A need declined with nobody left is not with anyone: the referral must not read DELIVERED. */
    @Test
    void referralIsDeclinedWhenNoNeedIsOpenAndOneWasDeclined() throws Exception {
        referral("r-4", StoredReferral.State.ROUTED);
        when(needs.needs("ngo-hotline", "r-4")).thenReturn(List.of(
                new NeedRow("SHELTER", "coordinator", "d-1", NeedState.DECLINED, RECEIVED),
                new NeedRow("MEDICAL", "medical-dushanbe", "d-2", NeedState.ACCEPTED, RECEIVED)));
        referral("r-5", StoredReferral.State.ROUTED);
        when(needs.needs("ngo-hotline", "r-5")).thenReturn(List.of(
                new NeedRow("SHELTER", "coordinator", "d-1", NeedState.DECLINED, RECEIVED),
                new NeedRow("MEDICAL", "medical-dushanbe", "d-2", NeedState.DELIVERED, RECEIVED)));

        mvc.perform(get("/api/v1/referrals/r-4/status").with(x509(AGENCY)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("DECLINED"));
        // while another need is still with a provider, the referral reads as that need does
        mvc.perform(get("/api/v1/referrals/r-5/status").with(x509(AGENCY)))
                .andExpect(jsonPath("$.state").value("DELIVERED"));
    }

    @Test
    void ledgerFailureIsInternalErrorWithoutDetail() throws Exception {
        when(referrals.find("ngo-hotline", "r-1"))
                .thenThrow(new QueryTimeoutException("SELECT * FROM referral WHERE sender = 'ngo-hotline' timed out"));

        mvc.perform(get("/api/v1/referrals/r-1/status").with(x509(AGENCY)))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("QueryTimeout", "SELECT", "timed out"));
    }

    /** The controller asks only among the caller's own referrals: another agency's id and an unknown one look alike. */
    @Test
    void anotherAgencysReferralIsAnsweredExactlyLikeAnUnknownOne() throws Exception {
        when(referrals.find("border-service", "r-9")).thenReturn(Optional.of(new StoredReferral("border-service",
                "r-9", "c".repeat(64), "e".repeat(64), StoredReferral.State.ROUTED, RECEIVED, Optional.empty())));

        mvc.perform(get("/api/v1/referrals/r-9/status").with(x509(AGENCY)))
                .andExpect(problem(404, ErrorCode.NOT_FOUND));
        mvc.perform(get("/api/v1/referrals/no-such-id/status").with(x509(AGENCY)))
                .andExpect(problem(404, ErrorCode.NOT_FOUND));

        verify(referrals, never()).find(eq("border-service"), anyString());
    }

    @Test
    void providerMayNotReadAReferralsStatus() throws Exception {
        mvc.perform(get("/api/v1/referrals/r-1/status").with(x509(PROVIDER)))
                .andExpect(problem(ErrorCode.FORBIDDEN));

        verifyNoInteractions(referrals, needs, jdbc);
    }

    private void referral(String referralId, StoredReferral.State state) {
        when(referrals.find("ngo-hotline", referralId)).thenReturn(Optional.of(new StoredReferral("ngo-hotline",
                referralId, "c".repeat(64), "e".repeat(64), state, RECEIVED, Optional.empty())));
    }
}
