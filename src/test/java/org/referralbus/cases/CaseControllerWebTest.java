package org.referralbus.cases;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.referralbus.support.ProblemDetails.problem;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.x509;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.dedupe.CaseCorrections;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.routing.RegistryProperties;
import org.referralbus.support.SampleKeys;
import org.referralbus.system.ApiSecurityForSlices;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The case endpoints behind the real mutual-TLS chain: the coordinator only; refusals answered and audited. */
@WebMvcTest(CaseController.class)
@Import({ApiSecurityForSlices.class, CaseControllerWebTest.Registry.class})
class CaseControllerWebTest {

    private static final X509Certificate COORDINATOR = SampleKeys.certificateOf("providers", "coordinator");
    private static final X509Certificate SHELTER = SampleKeys.certificateOf("providers", "shelter-dushanbe");
    private static final X509Certificate AGENCY = SampleKeys.certificateOf("agencies", "border-service");
    private static final String CASE_A = "6f1c2a50-0000-4000-8000-00000000000a";
    private static final String CASE_B = "6f1c2a50-0000-4000-8000-00000000000b";
    private static final OffsetDateTime AT = OffsetDateTime.parse("2026-12-03T05:00:00Z");

    @TestConfiguration
    static class Registry {
        @Bean
        RegistryProperties registryProperties() {
            return new RegistryProperties(Path.of("routes/providers.yaml"), Duration.ofSeconds(10), "child-protection-national", "coordinator");
        }
    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    CaseDesk desk;

    @MockitoBean
    RefusalTally refusals;

    @Test
    void coordinatorSeesWhyEachReferralIsInTheCase() throws Exception {
        when(desk.view(CASE_A)).thenReturn(new CaseCorrections.CaseView(CASE_A, List.of(
                new ReferralLedger.CaseMember("border-service", "r-1", AT, 1, null, false, null, null),
                new ReferralLedger.CaseMember("ngo-hotline", "r-2", AT, 1, null, true, "names+birth-date", new BigDecimal("0.812"))),
                List.of(new CaseCorrections.Correction(CaseCorrections.Kind.MERGE, CASE_A, CASE_B, null, null, "coordinator", AT))));

        mvc.perform(get("/api/v1/cases/" + CASE_A).with(x509(COORDINATOR)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.caseId").value(CASE_A))
                .andExpect(jsonPath("$.referrals[1].linkRule").value("names+birth-date"))
                .andExpect(jsonPath("$.referrals[1].linkScore").value(0.812))
                .andExpect(jsonPath("$.corrections[0].kind").value("MERGE"))
                .andExpect(jsonPath("$.corrections[0].otherCaseId").value(CASE_B));
    }

    @Test
    void coordinatorFindsTheCaseOfAReferralByItsSenderAndIdAndOthersMayNot() throws Exception {
        when(desk.viewOf("border-service", "r-1")).thenReturn(new CaseCorrections.CaseView(CASE_A, List.of(
                new ReferralLedger.CaseMember("border-service", "r-1", AT, 1, null, false, null, null)), List.of()));

        mvc.perform(get("/api/v1/cases").param("sender", "border-service").param("referralId", "r-1").with(x509(COORDINATOR)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.caseId").value(CASE_A))
                .andExpect(jsonPath("$.referrals[0].referralId").value("r-1"));
        mvc.perform(get("/api/v1/cases").param("sender", "border-service").param("referralId", "r-1")
                        .with(x509(SHELTER)))
                .andExpect(problem(ErrorCode.FORBIDDEN));
        mvc.perform(get("/api/v1/cases").param("sender", "border-service").with(x509(COORDINATOR)))
                .andExpect(problem(ErrorCode.INVALID_REQUEST));
    }

    @Test
    void coordinatorMergesAndHearsWhoWasTold() throws Exception {
        when(desk.merge("coordinator", CASE_A, CASE_B)).thenReturn(new CaseDesk.Outcome("MERGE", CASE_A, CASE_B,
                List.of(new CaseDesk.Moved("ngo-hotline", "r-2")),
                List.of(new CaseDesk.Told("shelter-dushanbe", "r-1", CASE_A, "CASES_MERGED:" + CASE_B)),
                List.of(new CaseDesk.NotTold("medical-dushanbe", "r-2", CASE_A, "CASES_MERGED:" + CASE_B, "never-given-the-case"))));

        mvc.perform(post("/api/v1/cases/" + CASE_A + "/merge").with(x509(COORDINATOR))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"otherCaseId\":\"" + CASE_B + "\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.moved[0].referralId").value("r-2"))
                .andExpect(jsonPath("$.providersTold[0].providerId").value("shelter-dushanbe"))
                .andExpect(jsonPath("$.providersTold[0].reason").value("CASES_MERGED:" + CASE_B))
                .andExpect(jsonPath("$.providersTold[0].notToldBecause").doesNotExist())
                .andExpect(jsonPath("$.providersNotTold[0].providerId").value("medical-dushanbe"))
                .andExpect(jsonPath("$.providersNotTold[0].reason").value("CASES_MERGED:" + CASE_B))
                .andExpect(jsonPath("$.providersNotTold[0].notToldBecause").value("never-given-the-case"));
    }

    @Test
    void coordinatorSplitsNamingTheSenderOnlyWhenGiven() throws Exception {
        when(desk.split("coordinator", CASE_A, null, "r-2")).thenReturn(new CaseDesk.Outcome("SPLIT", CASE_A, CASE_B,
                List.of(new CaseDesk.Moved("ngo-hotline", "r-2")), List.of(), List.of()));

        mvc.perform(post("/api/v1/cases/" + CASE_A + "/split").with(x509(COORDINATOR))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"referralId\":\"r-2\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.kind").value("SPLIT"))
                .andExpect(jsonPath("$.otherCaseId").value(CASE_B));
    }

    @Test
    void anotherProviderIsRefusedAndTheRefusalIsAudited() throws Exception {
        mvc.perform(post("/api/v1/cases/" + CASE_A + "/merge").with(x509(SHELTER))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"otherCaseId\":\"" + CASE_B + "\"}"))
                .andExpect(problem(ErrorCode.FORBIDDEN));
        mvc.perform(get("/api/v1/cases/" + CASE_A).with(x509(SHELTER))).andExpect(problem(ErrorCode.FORBIDDEN));

        verify(desk).refused("shelter-dushanbe", CASE_A, "case-merge", ErrorCode.FORBIDDEN);
        verify(desk).refused("shelter-dushanbe", CASE_A, "case-view", ErrorCode.FORBIDDEN);
        verifyNoMoreInteractions(desk);
    }

    @Test
    void anAgencyNeverReachesTheController() throws Exception {
        mvc.perform(post("/api/v1/cases/" + CASE_A + "/split").with(x509(AGENCY))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"referralId\":\"r-2\"}"))
                .andExpect(problem(ErrorCode.FORBIDDEN));

        verifyNoMoreInteractions(desk);
    }

    @Test
    void unknownCaseAndReferralNotInCaseAreProblemsWithTheirCodes() throws Exception {
        when(desk.view(CASE_B)).thenThrow(new ReferralBusException(ErrorCode.NOT_FOUND, "No case " + CASE_B));
        when(desk.split(eq("coordinator"), eq(CASE_A), any(), eq("r-9")))
                .thenThrow(new ReferralBusException(ErrorCode.REFERRAL_NOT_IN_CASE, "Referral r-9 is not in case " + CASE_A));

        mvc.perform(get("/api/v1/cases/" + CASE_B).with(x509(COORDINATOR))).andExpect(problem(ErrorCode.NOT_FOUND));
        mvc.perform(post("/api/v1/cases/" + CASE_A + "/split").with(x509(COORDINATOR))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"referralId\":\"r-9\"}"))
                .andExpect(problem(ErrorCode.REFERRAL_NOT_IN_CASE));

        verify(desk).refused("coordinator", CASE_B, "case-view", ErrorCode.NOT_FOUND);
        verify(desk).refused("coordinator", CASE_A, "case-split", ErrorCode.REFERRAL_NOT_IN_CASE);
    }

    @Test
    void mergeWithoutTheOtherCaseIsInvalid() throws Exception {
        mvc.perform(post("/api/v1/cases/" + CASE_A + "/merge").with(x509(COORDINATOR))
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST));

        verify(desk).refused("coordinator", CASE_A, "case-merge", ErrorCode.INVALID_REQUEST);
        verifyNoMoreInteractions(desk);
    }

    @Test
    void anUnreadableBodyIsRefusedAndAuditedWithTheEndpointNotTheCallersPath() throws Exception {
        mvc.perform(post("/api/v1/cases/" + CASE_A + "/merge").with(x509(COORDINATOR))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"otherCaseId\": "))
                .andExpect(problem(ErrorCode.INVALID_REQUEST));

        verify(refusals).count(argThat(event -> event.type() == AuditEventType.REJECTED
                && "coordinator".equals(event.actor()) && event.referralId() == null
                && "invalid_request;POST /api/v1/cases/{caseId}/merge".equals(event.detail())));
        verifyNoMoreInteractions(desk);
    }

    /** Refused while its body was read, the case desk never saw it: the web layer audits it, though the endpoint audits its own. */
    @Test
    void aBodyRefusedBeforeTheCaseDeskIsAuditedByTheWebLayer() throws Exception {
        mvc.perform(post("/api/v1/cases/" + CASE_A + "/merge").with(x509(COORDINATOR))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"otherCaseId\": \"" + CASE_B + "\", \"note\": \"x\"}"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST));

        verify(refusals).count(argThat(event -> event.type() == AuditEventType.REJECTED
                && "invalid_request;POST /api/v1/cases/{caseId}/merge".equals(event.detail())));
        verifyNoMoreInteractions(desk);
    }
}
