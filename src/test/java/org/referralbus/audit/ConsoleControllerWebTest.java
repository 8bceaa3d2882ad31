package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.referralbus.support.ProblemDetails.noDetail;
import static org.referralbus.support.ProblemDetails.problem;
import static org.referralbus.support.ProblemDetails.revealsNone;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.referralbus.core.ErrorCode;
import org.springframework.beans.factory.annotation.Autowired;
import org.referralbus.system.AddressLimitOffForSlices;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.UserRequestPostProcessor;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Slice of the auditor console with its real security chain ({@link ConsoleSecurity}: form sign-in, session, CSRF),
 * whose CSRF filter provides the token the pages embed. Signing in itself (password + TOTP) is
 * {@code ConsoleSignInTest}'s and the browser test's business: here the signed-in auditor is set with
 * spring-security-test's {@code user(...)}, and the overview, queries, verifier, export and query log are mocks.
 * Covered: the pages' placeholders, what each data request logs, the {@code hours} bounds, and failures.
 */
@WebMvcTest(ConsoleController.class)
@Import({ConsoleSecurity.class, ConsoleControllerWebTest.Thresholds.class, AddressLimitOffForSlices.class})
class ConsoleControllerWebTest {

    private static final ReferralProgress STUCK = new ReferralProgress("r-1", "ngo-hotline",
            OffsetDateTime.parse("2026-12-01T08:00:00Z"), "DELIVERED", OffsetDateTime.parse("2026-12-01T08:05:00Z"),
            List.of("shelter-dushanbe"), OffsetDateTime.parse("2026-12-01T08:05:00Z"), null, List.of("shelter-dushanbe"));

    @TestConfiguration(proxyBeanMethods = false)
    static class Thresholds {
        @Bean
        AuditProperties auditProperties() {
            return new AuditProperties(Duration.ofMinutes(10), Duration.ofHours(24), Duration.ofMinutes(1),
                    new AuditProperties.SignInLimits(3, 10, 10, 30, Duration.ofMinutes(15), 1), "referral-bus");
        }

        @Bean
        SignInThrottle signInThrottle(AuditProperties properties) {
            return new SignInThrottle(properties.signIn(), Clock.systemUTC());
        }

    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    RefusalTally refusals;

    @MockitoBean
    ConsoleOverview overview;

    @MockitoBean
    AuditQueries queries;

    @MockitoBean
    AuditChainVerifier verifier;

    @MockitoBean
    AuditExport export;

    @MockitoBean
    AuditorQueryLog queryLog;

    @MockitoBean
    AuditorAccounts accounts;

    @Test
    void signInPageCarriesTheCsrfTokenAndNoError() throws Exception {
        MvcResult result = mvc.perform(get("/audit/login"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(content().string(containsString("<p class=\"error\" id=\"signin-error\"></p>")))
                .andExpect(content().string(not(containsString("{{"))))
                .andReturn();

        CsrfToken token = (CsrfToken) result.getRequest().getAttribute(CsrfToken.class.getName());
        assertThat(result.getResponse().getContentAsString())
                .contains("name=\"" + token.getParameterName() + "\" value=\"" + token.getToken() + "\"");
    }

    @Test
    void failedSignInIsShownWithoutSayingWhy() throws Exception {
        mvc.perform(get("/audit/login").param("error", "<b>bad TOTP for anna</b>"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(
                        "<p class=\"error\" id=\"signin-error\">Sign-in failed. Check name, password and code.</p>")))
                .andExpect(content().string(not(containsString("TOTP for anna"))));
    }

    @Test
    void consoleNamesTheAuditorEscapedAndTheStuckThreshold() throws Exception {
        mvc.perform(get("/audit").with(user("<i>anna</i>").roles("AUDITOR")))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(content().string(containsString("&lt;i&gt;anna&lt;/i&gt;")))
                .andExpect(content().string(not(containsString("<i>anna"))))
                .andExpect(content().string(containsString("id=\"stuck-hours\" type=\"number\" min=\"0\" value=\"24\"")))
                .andExpect(content().string(not(containsString("{{"))));
    }

    @Test
    void consoleWithoutSignInRedirectsToTheSignInPage() throws Exception {
        mvc.perform(get("/audit"))
                .andExpect(status().isFound())
                .andExpect(header().string("Location", endsWith("/audit/login")));
        mvc.perform(get("/audit/api/referrals").param("q", "r-1"))
                .andExpect(status().isFound())
                .andExpect(header().string("Location", endsWith("/audit/login")));

        verifyNoInteractions(overview, queryLog);
    }

    @Test
    void scriptAndStylesheetAreServedWithTheirTypes() throws Exception {
        mvc.perform(get("/audit/console.js").with(auditor()))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/javascript"))
                .andExpect(content().string(containsString("loadStuck")));
        mvc.perform(get("/audit/console.css"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/css"));
    }

    @Test
    void theIconIsServedBeforeSignInAndEveryPageLinksIt() throws Exception {
        mvc.perform(get("/audit/favicon.svg"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("image/svg+xml"))
                .andExpect(content().string(containsString("<svg")));
        mvc.perform(get("/audit/login"))
                .andExpect(content().string(containsString("href=\"/audit/favicon.svg\"")));
        mvc.perform(get("/audit").with(auditor()))
                .andExpect(content().string(containsString("href=\"/audit/favicon.svg\"")));
    }

    /** What of a search reaches the trail is AuditorWords' to say; here the trail names the sample participants. */
    @org.junit.jupiter.api.BeforeEach
    void wordsAsTheTrailWouldHaveThem() {
        AuditorWords words = new AuditorWords(id -> id.equals("border-service") || id.equals("shelter-dushanbe"));
        when(queryLog.recordable(org.mockito.ArgumentMatchers.any())).thenAnswer(call -> words.recordable(call.getArgument(0)));
    }

    @Test
    void searchAnswersProgressAndLogsAnIdLikeQueryVerbatim() throws Exception {
        when(overview.search("r-1")).thenReturn(List.of(STUCK));

        mvc.perform(get("/audit/api/referrals").param("q", "r-1").with(auditor()))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$[0].referralId").value("r-1"))
                .andExpect(jsonPath("$[0].sender").value("ngo-hotline"))
                .andExpect(jsonPath("$[0].lastStep").value("DELIVERED"))
                .andExpect(jsonPath("$[0].awaiting[0]").value("shelter-dushanbe"))
                .andExpect(jsonPath("$[0].accepted").doesNotExist());

        verify(queryLog).queried("oversight-board", "console:search:q=<3 characters>", null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"7d3c8a1e-0000-4000-8000-000000000001|7d3c8a1e-0000-4000-8000-000000000001",
            "border-service|border-service"})
    void aReferralIdOrAParticipantTheTrailNamesIsLoggedAsTyped(String q, String logged) throws Exception {
        mvc.perform(get("/audit/api/referrals").param("q", q).with(auditor())).andExpect(status().isOk());

        verify(queryLog).queried("oversight-board", "console:search:q=" + logged, null);
    }

    /** Free text could be a name typed into the box: the trail gets its length only. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Anna Petrova|<12 characters>", "r-1 OR 1=1|<10 characters>",
            "''|<0 characters>", "Rahimova|<8 characters>", "rahimova|<8 characters>", "1998-04-12|<10 characters>",
            "992-90-123-45-67|<16 characters>", "mehrangez-rahimova|<18 characters>"})
    void searchForAnythingButAnIdIsLoggedAsItsLengthOnly(String q, String logged) throws Exception {
        mvc.perform(get("/audit/api/referrals").param("q", q).with(auditor())).andExpect(status().isOk());

        verify(queryLog).queried("oversight-board", "console:search:q=" + logged, null);
    }

    @Test
    void searchOfAnIdLongerThanSixtyFourCharactersIsLoggedAsItsLength() throws Exception {
        mvc.perform(get("/audit/api/referrals").param("q", "a".repeat(65)).with(auditor())).andExpect(status().isOk());

        verify(queryLog).queried("oversight-board", "console:search:q=<65 characters>", null);
    }

    @Test
    void stuckUsesTheConfiguredThresholdByDefault() throws Exception {
        when(overview.stuck(Duration.ofHours(24))).thenReturn(List.of(STUCK));

        mvc.perform(get("/audit/api/stuck").with(auditor()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].referralId").value("r-1"));

        verify(queryLog).queried("oversight-board", "console:stuck:after=PT24H", null);
    }

    @ParameterizedTest
    @CsvSource({"0, PT0S", "2, PT2H", "8760, PT8760H"})
    void stuckTakesTheHoursAsked(long hours, String logged) throws Exception {
        mvc.perform(get("/audit/api/stuck").param("hours", Long.toString(hours)).with(auditor()))
                .andExpect(status().isOk());

        verify(overview).stuck(Duration.ofHours(hours));
        verify(queryLog).queried("oversight-board", "console:stuck:after=" + logged, null);
    }

    @Test
    void negativeHoursIsInvalidRequest() throws Exception {
        mvc.perform(get("/audit/api/stuck").param("hours", "-1").with(auditor()))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("0 <= hours <= " + ConsoleController.MAX_STUCK_HOURS));

        verifyNoInteractions(overview, queryLog);
    }

    @Test
    void aCenturyOfHoursIsTheLargestThresholdAccepted() throws Exception {
        mvc.perform(get("/audit/api/stuck").param("hours", Long.toString(ConsoleController.MAX_STUCK_HOURS)).with(auditor()))
                .andExpect(status().isOk());

        verify(overview).stuck(Duration.ofHours(ConsoleController.MAX_STUCK_HOURS));
    }

    /**
     * Hours that no Duration can hold (ArithmeticException in the controller) or that reach before the earliest
     * date (DateTimeException in ConsoleOverview) were answered 500 internal_error: they are the auditor's mistake.
     */
    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807", "2562047788015216", "10000000000000", "878401"})
    void hoursBeyondACenturyAreInvalidRequest(String hours) throws Exception {
        mvc.perform(get("/audit/api/stuck").param("hours", hours).with(auditor()))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("0 <= hours <= " + ConsoleController.MAX_STUCK_HOURS));

        verifyNoInteractions(overview, queryLog);
    }

    @ParameterizedTest
    @ValueSource(strings = {"two", "1.5", "99999999999999999999"})
    void hoursThatAreNotAWholeNumberAreInvalidRequest(String hours) throws Exception {
        mvc.perform(get("/audit/api/stuck").param("hours", hours).with(auditor()))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("The parameter hours must be a whole number in range"));

        verifyNoInteractions(overview, queryLog);
    }

    @Test
    void chartsCombinePerDayAndTimeToOutcome() throws Exception {
        when(overview.charts()).thenReturn(new ConsoleOverview.Charts(new ConsoleOverview.PerDay(List.of("2026-12-01"),
                Map.of("ngo-hotline", List.of(1))), List.of(
                new ConsoleOverview.TimeToOutcome("r-1", "ngo-hotline", 300L, null))));

        mvc.perform(get("/audit/api/charts").with(auditor()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.perDay.days[0]").value("2026-12-01"))
                .andExpect(jsonPath("$.perDay.counts.ngo-hotline[0]").value(1))
                .andExpect(jsonPath("$.timeToOutcome[0].secondsToDelivery").value(300));

        verify(queryLog).queried("oversight-board", "console:charts", null);
    }

    @Test
    void verifyAnswersTheVerificationAndTheHeadOfTheTrail() throws Exception {
        when(verifier.verify()).thenReturn(new ChainVerification(true, 120, null, null));
        when(queries.headSeq()).thenReturn(120L);

        mvc.perform(get("/audit/api/verify").with(auditor()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.verification.intact").value(true))
                .andExpect(jsonPath("$.verification.eventsChecked").value(120))
                .andExpect(jsonPath("$.headSeq").value(120));

        verify(queryLog).queried("oversight-board", "console:verify", null);
    }

    @Test
    void storyIsLoggedWithTheReferral() throws Exception {
        when(queries.story("r-1")).thenReturn(List.of());

        mvc.perform(get("/audit/api/referrals/r-1").with(auditor()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.referralId").value("r-1"))
                .andExpect(jsonPath("$.events.length()").value(0));

        verify(queryLog).queried("oversight-board", "console:referral", "r-1");
    }

    @Test
    void downloadHandsTheRangeAndTheSignedInAccountToTheExport() throws Exception {
        when(export.export("oversight-board", 1L, 3L)).thenReturn(ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/jsonl")).body("{}\n".getBytes()));

        mvc.perform(get("/audit/export").param("fromSeq", "1").param("toSeq", "3").with(auditor()))
                .andExpect(status().isOk())
                .andExpect(content().contentType("application/jsonl"))
                .andExpect(content().string("{}\n"));
    }

    @Test
    void downloadRangeThatIsNotANumberIsInvalidRequest() throws Exception {
        mvc.perform(get("/audit/export.sig").param("toSeq", "last").with(auditor()))
                .andExpect(problem(ErrorCode.INVALID_REQUEST))
                .andExpect(jsonPath("$.detail").value("The parameter toSeq must be a whole number in range"));

        verifyNoInteractions(export);
    }

    @Test
    void overviewFailureIsInternalErrorWithoutDetail() throws Exception {
        when(overview.search("r-1")).thenThrow(new IllegalStateException("audit_event row 12 has no envelope hash"));

        mvc.perform(get("/audit/api/referrals").param("q", "r-1").with(auditor()))
                .andExpect(problem(ErrorCode.INTERNAL_ERROR))
                .andExpect(noDetail())
                .andExpect(revealsNone("IllegalState", "envelope hash"));
    }

    private static UserRequestPostProcessor auditor() {
        return user("oversight-board").roles("AUDITOR");
    }
}
