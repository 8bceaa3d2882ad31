package org.referralbus.audit;

import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.referralbus.support.ProblemDetails.problem;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.x509;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.support.SampleKeys;
import org.referralbus.system.ApiSecurityForSlices;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** Slice of the proof endpoints with the real mutual-TLS chain: the JSON shape auditors save, logging, refusals. */
@WebMvcTest(AuditProofController.class)
@Import(ApiSecurityForSlices.class)
class AuditProofControllerWebTest {

    private static final X509Certificate AUDITOR = SampleKeys.certificateOf("auditors", "oversight-board");
    private static final X509Certificate AGENCY = SampleKeys.certificateOf("agencies", "ngo-hotline");
    private static final TreeHead HEAD = new TreeHead(15, "ab".repeat(32), OffsetDateTime.parse("2026-12-01T08:00:00.123456Z"),
            new byte[] {1, 2, 3}, new byte[] {4, 5});
    private static final AuditRecord EVENT = new AuditRecord(7, OffsetDateTime.parse("2026-12-01T08:00:00Z"),
            "ROUTED", "r-1", "ngo-hotline", "shelter-dushanbe", null, "regional:SHELTER", "cd".repeat(32), "ef".repeat(32));

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AuditProofs proofs;

    @MockitoBean
    AuditorQueryLog queryLog;

    @Test
    void treeHeadCarriesSizeRootTimeSignatureAndTimestampAndIsLogged() throws Exception {
        when(proofs.head(null)).thenReturn(HEAD);

        mvc.perform(get("/api/v1/audit/tree-head").with(x509(AUDITOR)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.treeSize").value(15))
                .andExpect(jsonPath("$.rootHash").value("ab".repeat(32)))
                .andExpect(jsonPath("$.at").value("2026-12-01T08:00:00.123456Z"))
                .andExpect(jsonPath("$.signature").value(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})))
                .andExpect(jsonPath("$.timestampToken").value(Base64.getEncoder().encodeToString(new byte[] {4, 5})));

        verify(queryLog).queried("oversight-board", "tree-head:15", null);
    }

    @Test
    void inclusionProofCarriesTheEventAndItsPathAndIsLoggedWithTheReferral() throws Exception {
        when(proofs.inclusion(7, 15L)).thenReturn(new AuditProofs.InclusionProof(15, 6, EVENT, "01".repeat(32), List.of("02".repeat(32))));

        mvc.perform(get("/api/v1/audit/proofs/inclusion").with(x509(AUDITOR)).param("seq", "7").param("treeSize", "15"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.leafIndex").value(6))
                .andExpect(jsonPath("$.event.hash").value("cd".repeat(32)))
                .andExpect(jsonPath("$.auditPath[0]").value("02".repeat(32)));

        verify(queryLog).queried("oversight-board", "inclusion:7@15", "r-1");
    }

    @Test
    void consistencyProofIsLogged() throws Exception {
        when(proofs.consistency(10, 15)).thenReturn(new AuditProofs.ConsistencyProof(10, 15, List.of("03".repeat(32))));

        mvc.perform(get("/api/v1/audit/proofs/consistency").with(x509(AUDITOR)).param("from", "10").param("to", "15"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.proof[0]").value("03".repeat(32)));

        verify(queryLog).queried("oversight-board", "consistency:10-15", null);
    }

    @Test
    void unsignedSizeIsNotFound() throws Exception {
        when(proofs.head(99L)).thenThrow(new ReferralBusException(ErrorCode.NOT_FOUND, "No tree head of size 99 is signed"));

        mvc.perform(get("/api/v1/audit/tree-head").with(x509(AUDITOR)).param("treeSize", "99"))
                .andExpect(problem(ErrorCode.NOT_FOUND));
    }

    @Test
    void agenciesMayNotAskForProofs() throws Exception {
        mvc.perform(get("/api/v1/audit/proofs/inclusion").with(x509(AGENCY)).param("seq", "1"))
                .andExpect(problem(ErrorCode.FORBIDDEN));

        verifyNoInteractions(proofs, queryLog);
    }
}
