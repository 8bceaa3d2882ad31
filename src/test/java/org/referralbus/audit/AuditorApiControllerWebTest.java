package org.referralbus.audit;

import static org.hamcrest.Matchers.nullValue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.referralbus.support.ProblemDetails.noDetail;
import static org.referralbus.support.ProblemDetails.problem;
import static org.referralbus.support.ProblemDetails.revealsNone;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.x509;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.referralbus.core.ErrorCode;
import org.referralbus.support.SampleKeys;
import org.referralbus.system.ApiSecurityForSlices;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Slice of the auditor API with the real mutual-TLS security chain ({@link ApiSecurityForSlices}): the auditor is
 * the sample certificate {@code oversight-board} (OU=auditor), presented with MockMvc's {@code x509(...)}, and is
 * the actor of every query-log row. Queries, verifier, export and the query log are mocks; here, the paging
 * bounds, the filters handed on, what is logged, and how refusals and failures look.
 */
@WebMvcTest(AuditorApiController.class)
@Import(ApiSecurityForSlices.class)
class AuditorApiControllerWebTest {

    private static final X509Certificate AUDITOR = SampleKeys.certificateOf("auditors", "oversight-board");
    private static final X509Certificate AGENCY = SampleKeys.certificateOf("agencies", "ngo-hotline");
    private static final AuditFilter NO_FILTER = new AuditFilter(null, null, null, null, null);
    private static final AuditRecord RECEIVED = new AuditRecord(7, OffsetDateTime.parse("2026-12-01T08:00:00Z"),
            "RECEIVED", "r-1", "ngo-hotline", null, "ab".repeat(32), null, "cd".repeat(32), "ef".repeat(32));

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AuditQueries queries;

    @MockitoBean
    AuditExport export;

    @MockitoBean
    AuditChainVerifier verifier;

    @MockitoBean
    AuditorQueryLog queryLog;

    @Test
    void eventsAnswerTheFirstPageOfFiftyAndTheQueryIsLogged() throws Exception {
        when(queries.events(NO_FILTER, 0, 50)).thenReturn(AuditQueries.Page.numbered(List.of(RECEIVED), 0, 50, 1));

        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR)))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(50))
                .andExpect(jsonPath("$.totalEvents").value(1))
                .andExpect(jsonPath("$.totalPages").value(1))
                .andExpect(jsonPath("$.events[0].seq").value(7))
                .andExpect(jsonPath("$.events[0].at").value("2026-12-01T08:00:00Z"))
                .andExpect(jsonPath("$.events[0].type").value("RECEIVED"))
                .andExpect(jsonPath("$.events[0].referralId").value("r-1"))
                .andExpect(jsonPath("$.events[0].hash").value("cd".repeat(32)))
                .andExpect(jsonPath("$.events[0].prevHash").value("ef".repeat(32)))
                .andExpect(jsonPath("$.after").value(nullValue()))
                .andExpect(jsonPath("$.nextAfter").value(nullValue()));

        verify(queryLog).queried("oversight-board", "events:;page=0;size=50", null);
    }

    @Test
    void afterReadsOnFromASeqWithoutCountingAndSaysWhereToReadOn() throws Exception {
        AuditRecord eighth = new AuditRecord(8, OffsetDateTime.parse("2026-12-01T08:00:01Z"), "OPENED", null, "bus", null,
                "ab".repeat(32), null, "01".repeat(32), "cd".repeat(32));
        when(queries.eventsAfter(NO_FILTER, 6, 1)).thenReturn(AuditQueries.Page.after(List.of(RECEIVED, eighth), 6, 1));

        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR)).param("after", "6").param("size", "1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.events.length()").value(1))
                .andExpect(jsonPath("$.events[0].seq").value(7))
                .andExpect(jsonPath("$.after").value(6))
                .andExpect(jsonPath("$.nextAfter").value(7))
                .andExpect(jsonPath("$.size").value(1))
                .andExpect(jsonPath("$.page").value(nullValue()))
                .andExpect(jsonPath("$.totalEvents").value(nullValue()))
                .andExpect(jsonPath("$.totalPages").value(nullValue()));

        verify(queryLog).queried("oversight-board", "events:;after=6;size=1", null);
        verify(queries, never()).events(any(), anyInt(), anyInt());
    }

    @Test
    void filtersGoWithAfterAndTheQueryLogRecordsIt() throws Exception {
        AuditFilter filter = new AuditFilter("r-1", "shelter-dushanbe", "DELIVERED",
                OffsetDateTime.parse("2026-12-01T00:00Z"), OffsetDateTime.parse("2026-12-02T00:00+01:00"));
        when(queries.eventsAfter(filter, 120, 500)).thenReturn(AuditQueries.Page.after(List.of(), 120, 500));
        AuditorWords words = new AuditorWords(id -> id.equals("shelter-dushanbe"));
        when(queryLog.recordable(any())).thenAnswer(call -> words.recordable(call.getArgument(0)));

        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR))
                        .param("referralId", "r-1").param("participant", "shelter-dushanbe").param("type", "DELIVERED")
                        .param("from", "2026-12-01T00:00:00Z").param("to", "2026-12-02T00:00:00+01:00")
                        .param("after", "120").param("size", "500"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.events.length()").value(0))
                .andExpect(jsonPath("$.nextAfter").value(nullValue()));

        verify(queryLog).queried("oversight-board", "events:referralId=<3 characters>;participant=shelter-dushanbe;type=DELIVERED;"
                + "from=2026-12-01T00:00Z;to=2026-12-02T00:00+01:00;after=120;size=500", "r-1");
    }

    /** A numbered page and a seq to read on from answer different questions: one of them, never a guess at which. */
    @ParameterizedTest
    @CsvSource({"0, 0", "0, 120", "3, 120"})
    void pageAndAfterTogetherAreRefused(String page, String after) throws Exception {
        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR)).param("page", page).param("after", after))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("page and after do not go together: ask for page=N (counted from the "
                        + "first match, with the total) or after=SEQ (the matches after that seq), not both"));

        verifyNoInteractions(queries, queryLog);
    }

    @ParameterizedTest
    @CsvSource({"-1, 50", "0, 0", "5, 501"})
    void afterOrSizeOutOfBoundsIsInvalidRequest(long after, int size) throws Exception {
        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR))
                        .param("after", Long.toString(after)).param("size", Integer.toString(size)))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("after >= 0 and 1 <= size <= 500"));

        verifyNoInteractions(queries, queryLog);
    }

    @Test
    void filtersArePassedOnAndDescribedInTheQueryLog() throws Exception {
        AuditFilter filter = new AuditFilter("r-1", "shelter-dushanbe", "DELIVERED",
                OffsetDateTime.parse("2026-12-01T00:00Z"), OffsetDateTime.parse("2026-12-02T00:00+01:00"));
        when(queries.events(filter, 2, 500)).thenReturn(AuditQueries.Page.numbered(List.of(), 2, 500, 0));
        AuditorWords words = new AuditorWords(id -> id.equals("shelter-dushanbe")); // as a trail naming that provider would
        when(queryLog.recordable(org.mockito.ArgumentMatchers.any())).thenAnswer(call -> words.recordable(call.getArgument(0)));

        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR))
                        .param("referralId", "r-1").param("participant", "shelter-dushanbe").param("type", "DELIVERED")
                        .param("from", "2026-12-01T00:00:00Z").param("to", "2026-12-02T00:00:00+01:00")
                        .param("page", "2").param("size", "500"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.page").value(2))
                .andExpect(jsonPath("$.events.length()").value(0));

        verify(queryLog).queried("oversight-board", "events:referralId=<3 characters>;participant=shelter-dushanbe;type=DELIVERED;"
                + "from=2026-12-01T00:00Z;to=2026-12-02T00:00+01:00;page=2;size=500", "r-1");
    }

    @Test
    void aTypeIsMatchedInAnyCaseAndOneTheTrailDoesNotHaveIsRefused() throws Exception {
        when(queries.events(new AuditFilter(null, null, "ROUTED", null, null), 0, 50))
                .thenReturn(AuditQueries.Page.numbered(List.of(), 0, 50, 0));

        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR)).param("type", "routed")).andExpect(status().isOk());
        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR)).param("type", "ROUTD"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("type is one of [RECEIVED, OPENED")));
    }

    @Test
    void aPeriodEndingBeforeItStartsIsRefusedNotAnsweredWithNothing() throws Exception {
        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR))
                        .param("from", "2026-12-05T00:00:00Z").param("to", "2026-12-04T00:00:00Z"))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("from must not be after to"));

        verifyNoInteractions(queries);
    }

    @Test
    void aReferralIdInCapitalsFindsTheReferralAsTheIntakeStoredIt() throws Exception {
        when(queries.story("a51fd049-45b8-4c1e-9d0a-0f8deb271a48")).thenReturn(List.of(RECEIVED));

        mvc.perform(get("/api/v1/audit/referrals/A51FD049-45B8-4C1E-9D0A-0F8DEB271A48").with(x509(AUDITOR)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.events.length()").value(1));

        verify(queryLog).queried("oversight-board", "referral", "a51fd049-45b8-4c1e-9d0a-0f8deb271a48");
    }

    @ParameterizedTest
    @CsvSource({"-1, 50", "0, 0", "0, -5", "0, 501", "0, 2147483647", "-2147483648, 1"})
    void pageOrSizeOutOfBoundsIsInvalidRequest(int page, int size) throws Exception {
        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR))
                        .param("page", Integer.toString(page)).param("size", Integer.toString(size)))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("page >= 0 and 1 <= size <= 500"));

        verifyNoInteractions(queries, queryLog);
    }

    /** Values that do not even convert: Spring MVC's own 400, with the stable code, saying what the parameter takes, without echoing them. */
    @ParameterizedTest
    @CsvSource({"page, first, a whole number in range", "size, 1.5, a whole number in range",
            "page, 99999999999, a whole number in range", "after, 12a, a whole number in range",
            "after, 99999999999999999999, a whole number in range", "from, yesterday, an ISO 8601 date and time",
            "from, 2026-12-01, an ISO 8601 date and time", "to, 2026-12-01T25:00:00Z, an ISO 8601 date and time"})
    void parameterThatIsNotOfItsTypeIsInvalidRequestSayingWhatItTakes(String name, String value, String takes) throws Exception {
        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR)).param(name, value))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("The parameter " + name + " must be " + takes)))
                .andExpect(revealsNone(value));

        verifyNoInteractions(queries, queryLog);
    }

    @Test
    void referralStoryListsItsEventsAndIsLoggedWithTheReferral() throws Exception {
        when(queries.story("r-1")).thenReturn(List.of(RECEIVED));

        mvc.perform(get("/api/v1/audit/referrals/r-1").with(x509(AUDITOR)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.referralId").value("r-1"))
                .andExpect(jsonPath("$.events.length()").value(1))
                .andExpect(jsonPath("$.events[0].seq").value(7));

        verify(queryLog).queried("oversight-board", "referral", "r-1");
    }

    @Test
    void verifyAnswersWhereTheChainBreaks() throws Exception {
        when(verifier.verify()).thenReturn(new ChainVerification(false, 42, 42L, "hash mismatch"));

        mvc.perform(get("/api/v1/audit/verify").with(x509(AUDITOR)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.intact").value(false))
                .andExpect(jsonPath("$.eventsChecked").value(42))
                .andExpect(jsonPath("$.firstBrokenSeq").value(42))
                .andExpect(jsonPath("$.reason").value("hash mismatch"));

        verify(queryLog).queried("oversight-board", "verify", null);
    }

    @Test
    void exportHandsTheRangeAndTheAuditorToTheExport() throws Exception {
        when(export.export("oversight-board", 5L, 9L)).thenReturn(ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/jsonl"))
                .header(AuditExport.SIGNATURE_HEADER, "MAA=")
                .body("{\"seq\":5}\n".getBytes()));

        mvc.perform(get("/api/v1/audit/export").with(x509(AUDITOR)).param("fromSeq", "5").param("toSeq", "9"))
                .andExpect(status().isOk())
                .andExpect(content().contentType("application/jsonl"))
                .andExpect(header().string(AuditExport.SIGNATURE_HEADER, "MAA="))
                .andExpect(content().string("{\"seq\":5}\n"));
    }

    @Test
    void exportWithoutRangeLeavesItToTheExport() throws Exception {
        when(export.signature("oversight-board", null, null)).thenReturn(ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/pkcs7-signature")).body(new byte[] {0x30, 0x00}));

        mvc.perform(get("/api/v1/audit/export.sig").with(x509(AUDITOR)))
                .andExpect(status().isOk())
                .andExpect(content().contentType("application/pkcs7-signature"))
                .andExpect(content().bytes(new byte[] {0x30, 0x00}));
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/audit/export, fromSeq, one", "/api/v1/audit/export, toSeq, 9.5",
            "/api/v1/audit/export.sig, fromSeq, 5-9"})
    void exportRangeThatIsNotANumberIsInvalidRequest(String path, String name, String value) throws Exception {
        mvc.perform(get(path).with(x509(AUDITOR)).param(name, value))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("The parameter " + name + " must be a whole number in range"));

        verifyNoInteractions(export);
    }

    @Test
    void queryFailureIsInternalErrorWithoutDetail() throws Exception {
        when(queries.events(NO_FILTER, 0, 50))
                .thenThrow(new DataAccessResourceFailureException("audit_event: connection reset by db-1"));

        mvc.perform(get("/api/v1/audit/events").with(x509(AUDITOR)))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("DataAccess", "audit_event", "db-1"));
    }

    @Test
    void verifierFailureIsInternalErrorWithoutDetail() throws Exception {
        when(verifier.verify()).thenThrow(new IllegalStateException("checkpoint 12 signature unreadable"));

        mvc.perform(get("/api/v1/audit/verify").with(x509(AUDITOR)))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("IllegalState", "checkpoint"));
    }

    @Test
    void agencyMayNotQueryTheTrail() throws Exception {
        mvc.perform(get("/api/v1/audit/events").with(x509(AGENCY))).andExpect(problem(ErrorCode.FORBIDDEN));

        verifyNoInteractions(queries, queryLog);
    }
}
