package org.referralbus.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.referralbus.support.ProblemDetails.problem;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.x509;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.routing.RegistryProperties;
import org.referralbus.support.SampleKeys;
import org.referralbus.system.ApiSecurityForSlices;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Slice of the statistics API with the real mutual-TLS chain and the real {@link Statistics} over facts held by a mock
 * {@link ReferralFacts}: who may ask (auditors and the coordinator; no other provider, no agency), JSON and CSV, the
 * problem codes of bad queries (outcomes asked before their cut-off among them), and the audit row naming who asked.
 */
@WebMvcTest(StatisticsController.class)
@Import({ApiSecurityForSlices.class, Statistics.class, StatisticsControllerWebTest.Settings.class})
class StatisticsControllerWebTest {

    static final X509Certificate AUDITOR = SampleKeys.certificateOf("auditors", "oversight-board");
    static final X509Certificate COORDINATOR = SampleKeys.certificateOf("providers", "coordinator");
    static final X509Certificate SHELTER = SampleKeys.certificateOf("providers", "shelter-dushanbe");
    static final X509Certificate AGENCY = SampleKeys.certificateOf("agencies", "ngo-hotline");

    @TestConfiguration(proxyBeanMethods = false)
    static class Settings {
        @Bean
        StatisticsProperties statisticsProperties() {
            // Outcomes fixed 90 days after the quarter: Q1 2026's on 30 June, after this slice's clock (15 June).
            return new StatisticsProperties(11, Granularity.QUARTER, 4, Duration.ofDays(90));
        }

        @Bean
        Releases releases() {
            return StatisticsFixtures.memory();
        }

        @Bean
        Clock clock() {
            return Clock.fixed(Instant.parse("2026-06-15T12:00:00Z"), ZoneOffset.UTC);
        }

        @Bean
        RegistryProperties registryProperties() {
            return new RegistryProperties(Path.of("routes/providers.yaml"), Duration.ofSeconds(10), "child-protection-national",
                    "coordinator");
        }
    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ReferralFacts facts;

    @MockitoBean
    AuditTrail audit;

    @MockitoBean
    FactsBackfill backfill;

    @BeforeEach
    void facts() {
        List<Fact> women = new ArrayList<>(SuppressionTest.people(30, "FEMALE", "DUSHANBE"));
        women.addAll(SuppressionTest.people(3, "MALE", "DUSHANBE"));
        when(facts.receivedBetween(any(), any())).thenReturn(women);
        when(backfill.awaitComplete(any())).thenReturn(true);
    }

    @Test
    void whileTheStartUpBackfillRunsStatisticsAreRefusedAndNothingIsCounted() throws Exception {
        when(backfill.awaitComplete(any())).thenReturn(false);
        mvc.perform(get("/api/v1/statistics?from=2026-01-01&to=2026-04-01&by=sex").with(x509(AUDITOR)))
                .andExpect(problem(ErrorCode.STATISTICS_NOT_READY));
        verifyNoInteractions(facts);
        ArgumentCaptor<AuditEvent> event = ArgumentCaptor.forClass(AuditEvent.class);
        verify(audit).record(event.capture());
        assertThat(event.getValue().toString()).contains("refused=statistics_not_ready");
    }

    @Test
    void anAuditorGetsCellsWithCountsAndSuppressedCellsWithoutThem() throws Exception {
        mvc.perform(get("/api/v1/statistics?from=2026-01-01&to=2026-04-01&by=sex").with(x509(AUDITOR)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.k").value(11))
                .andExpect(jsonPath("$.by[0]").value("sex"))
                .andExpect(jsonPath("$.cells[?(@.sex == 'MALE')].suppressed").value(true))
                .andExpect(jsonPath("$.cells[?(@.sex == 'MALE')].count").doesNotExist())
                .andExpect(jsonPath("$.total.count").value(33));
        ArgumentCaptor<AuditEvent> event = ArgumentCaptor.forClass(AuditEvent.class);
        verify(audit).record(event.capture());
        assertThat(event.getValue().toString()).contains("AUDITOR_QUERIED", "oversight-board", "by=sex").doesNotContain("33");
    }

    @Test
    void theCoordinatorGetsCsvWithAcceptTextCsv() throws Exception {
        String csv = mvc.perform(get("/api/v1/statistics?from=2026-01-01&to=2026-04-01&by=sex").accept("text/csv")
                        .with(x509(COORDINATOR)))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andReturn().getResponse().getContentAsString();
        assertThat(csv).startsWith("sex,count,people,suppressed,medianHoursToAcceptance\r\n").contains("MALE,,,true,");
    }

    @Test
    void otherProvidersAndAgenciesAreRefused() throws Exception {
        mvc.perform(get("/api/v1/statistics").with(x509(SHELTER))).andExpect(problem(ErrorCode.FORBIDDEN));
        mvc.perform(get("/api/v1/statistics").with(x509(AGENCY))).andExpect(problem(ErrorCode.FORBIDDEN));
        verifyNoInteractions(facts);
    }

    @Test
    void anUnknownDimensionIsAProblemWithItsCode() throws Exception {
        mvc.perform(get("/api/v1/statistics?by=sex,givenName").with(x509(AUDITOR)))
                .andExpect(problem(ErrorCode.UNKNOWN_DIMENSION));
        verifyNoInteractions(facts);
    }

    @Test
    void aRangeOffTheGridOrNotYetOverIsRefused() throws Exception {
        mvc.perform(get("/api/v1/statistics?from=2026-01-02&to=2026-04-01").with(x509(AUDITOR)))
                .andExpect(problem(ErrorCode.PERIOD_TOO_FINE));
        mvc.perform(get("/api/v1/statistics?from=2026-04-01&to=2026-07-01").with(x509(AUDITOR)))
                .andExpect(problem(ErrorCode.PERIOD_TOO_FINE))
                .andExpect(jsonPath("$.detail").value("the quarter starting 2026-04-01 is not over yet: to may be 2026-04-01 at the latest"));
        verifyNoInteractions(facts);
        ArgumentCaptor<AuditEvent> refusals = ArgumentCaptor.forClass(AuditEvent.class);
        verify(audit, times(2)).record(refusals.capture());
        assertThat(refusals.getAllValues()).as("each refusal is in the trail, with who asked and its code")
                .allSatisfy(e -> assertThat(e.toString()).contains("AUDITOR_QUERIED", "oversight-board", "refused=period_too_fine"));
        assertThat(LocalDate.of(2026, 4, 1)).as("the open quarter of the fixed clock").isEqualTo(Granularity.QUARTER.start(LocalDate.of(2026, 6, 15)));
    }

    @Test
    void outcomesAskedBeforeTheirCutOffAreRefusedSayingWhenAndTheSameTableWithoutOutcomeIsServed() throws Exception {
        mvc.perform(get("/api/v1/statistics?from=2026-01-01&to=2026-04-01&by=sex,outcome").with(x509(AUDITOR)))
                .andExpect(problem(ErrorCode.OUTCOMES_NOT_FINAL))
                .andExpect(status().isConflict())
                .andExpect(header().string("Retry-After", Long.toString(Duration.ofDays(14).plusHours(12).toSeconds())))
                .andExpect(jsonPath("$.detail").value("outcomes of referrals received before 2026-04-01 are counted as they"
                        + " stood at 2026-06-30T00:00Z, the outcome cut-off after their quarter ended: ask by outcome from then,"
                        + " or without outcome now"));
        verifyNoInteractions(facts);
        mvc.perform(get("/api/v1/statistics?from=2026-01-01&to=2026-04-01&by=sex").with(x509(AUDITOR)))
                .andExpect(status().isOk());
        mvc.perform(get("/api/v1/statistics?from=2025-01-01&to=2026-01-01&by=outcome").with(x509(COORDINATOR)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.by[0]").value("outcome"));
        ArgumentCaptor<AuditEvent> events = ArgumentCaptor.forClass(AuditEvent.class);
        verify(audit, times(3)).record(events.capture());
        assertThat(events.getAllValues().get(0).toString()).as("the refusal is in the trail with the table asked and its code")
                .contains("AUDITOR_QUERIED", "oversight-board", "by=sex,outcome", "refused=outcomes_not_final");
    }
}
