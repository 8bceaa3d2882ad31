package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.Flow;
import org.referralbus.dedupe.CaseCorrections;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.routing.Provider;
import org.referralbus.routing.ProviderRegistry;
import org.referralbus.routing.RegistryProperties;
import org.referralbus.support.MigratedH2;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A case notice is a fresh copy of the referral sealed for the provider's registered certificate: a provider whose
 * certificate the bus no longer accepts (revoked, perhaps because its key was stolen; or expired) gets no new referral
 * (ProviderStanding), and no notice either; nor does a provider that no copy ever gave a case id. The coordinator
 * sees both among the providers not told, with why.
 */
class CaseNoticesTest {

    private static final OffsetDateTime AT = OffsetDateTime.parse("2026-12-01T10:00:00Z");

    private final NeedLedger needs = mock(NeedLedger.class);
    private final DeliveryLedger deliveries = mock(DeliveryLedger.class);
    private final ProviderRegistry registry = mock(ProviderRegistry.class);
    private final ProducerTemplate flow = mock(ProducerTemplate.class);
    private final AuditTrail audit = mock(AuditTrail.class);
    private final CaseNotices notices = new CaseNotices(needs, deliveries, mock(ReferralLedger.class), registry, flow, audit);

    @Test
    void aProviderOutOfStandingIsNotSentANoticeAndIsReportedAsNotTold() {
        Provider coordinator = provider("coordinator");
        Provider suspended = provider("shelter-dushanbe");
        Provider inStanding = provider("medical-centre");
        when(registry.coordinator()).thenReturn(coordinator);
        when(registry.find("shelter-dushanbe")).thenReturn(Optional.of(suspended));
        when(registry.find("medical-centre")).thenReturn(Optional.of(inStanding));
        when(registry.mayRoute(suspended)).thenReturn(false);
        when(registry.mayRoute(inStanding)).thenReturn(true);
        when(needs.needs("border-service", "R-1")).thenReturn(List.of(
                new NeedLedger.NeedRow("SHELTER", "shelter-dushanbe", "d-1", NeedLedger.NeedState.ACCEPTED, AT),
                new NeedLedger.NeedRow("MEDICAL", "medical-centre", "d-2", NeedLedger.NeedState.DELIVERED, AT)));
        when(deliveries.providersGivenTheCase("border-service", "R-1", true)).thenReturn(Set.of("shelter-dushanbe", "medical-centre"));
        Exchange sent = mock(Exchange.class);
        when(flow.send(eq(Flow.Endpoints.CASE_NOTICE), any(Processor.class))).thenReturn(sent);

        CaseNotices.Told told = notices.tell(List.of(new CaseCorrections.Affected("border-service", "R-1", "case-2", "CASES_MERGED:case-1", true)));

        assertThat(told.sent()).extracting(CaseNotice::providerId).containsExactly("medical-centre");
        assertThat(told.notTold()).as("reported, not sealed for a key the bus refuses").singleElement().satisfies(untold -> {
            assertThat(untold.notice().providerId()).isEqualTo("shelter-dushanbe");
            assertThat(untold.because()).isEqualTo("out-of-standing");
        });
        verify(flow, org.mockito.Mockito.times(1)).send(anyString(), any(Processor.class));
    }

    /**
     * The leak of THREATS.md (fixed 2026-12-05): a notice names the referral's other case, so a provider that no copy
     * ever gave a case id would learn from it that the bus holds another referral of its client. It is left untold,
     * and the coordinator's answer and the trail say why; a provider given the case id is still told.
     */
    @Test
    void aProviderNeverGivenTheCaseIdIsNotToldOfAnotherCaseAndTheTrailSaysWhy() {
        Provider coordinator = provider("coordinator");
        Provider given = provider("shelter-dushanbe");
        Provider neverGiven = provider("medical-centre");
        when(registry.coordinator()).thenReturn(coordinator);
        when(registry.find("shelter-dushanbe")).thenReturn(Optional.of(given));
        when(registry.find("medical-centre")).thenReturn(Optional.of(neverGiven));
        when(registry.mayRoute(any(Provider.class))).thenReturn(true);
        when(needs.needs("border-service", "R-2")).thenReturn(List.of(
                new NeedLedger.NeedRow("SHELTER", "shelter-dushanbe", "d-1", NeedLedger.NeedState.DELIVERED, AT),
                new NeedLedger.NeedRow("MEDICAL", "medical-centre", "d-2", NeedLedger.NeedState.ACCEPTED, AT)));
        when(deliveries.providersGivenTheCase("border-service", "R-2", true)).thenReturn(Set.of("shelter-dushanbe"));
        when(flow.send(eq(Flow.Endpoints.CASE_NOTICE), any(Processor.class))).thenReturn(mock(Exchange.class));
        when(audit.busActor()).thenReturn("referral-bus");

        CaseNotices.Told told = notices.tell(List.of(new CaseCorrections.Affected("border-service", "R-2", "case-new", "CASE_SPLIT:case-old", true)));

        assertThat(told.sent()).extracting(CaseNotice::providerId).containsExactly("shelter-dushanbe");
        assertThat(told.notTold()).singleElement().satisfies(untold -> {
            assertThat(untold.notice().providerId()).isEqualTo("medical-centre");
            assertThat(untold.because()).isEqualTo("never-given-the-case");
        });
        verify(flow, org.mockito.Mockito.times(1)).send(anyString(), any(Processor.class));
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<AuditEvent>> audited = ArgumentCaptor.forClass(List.class);
        verify(audit).recordAll(audited.capture());
        assertThat(audited.getValue()).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(AuditEventType.CASE_NOTICE_NOT_SENT);
            assertThat(event.referralId()).isEqualTo("R-2");
            assertThat(event.counterpart()).isEqualTo("medical-centre");
            assertThat(event.detail()).isEqualTo("case:case-new;not-told:never-given-the-case");
        });
    }

    /**
     * What the bus knows of a provider's copies, read from the real table: a case notice and, for a referral that
     * joined a case another referral opened, a {@code linked-case} copy named the case; a copy routed by another rule,
     * the {@code linked-case} copy of an update of the referral that opened its case (which names none), a copy only
     * stored and a rule this release does not know did not.
     */
    @Test
    void onlyCopiesThatLeftWithACaseIdCountAsGivingIt() {
        JdbcTemplate jdbc = new JdbcTemplate(MigratedH2.fresh("case-given"));
        DeliveryLedger ledger = new DeliveryLedger(jdbc, new RegistryProperties(Path.of("routes/providers.yaml"),
                Duration.ofSeconds(10), "child-protection-national", "coordinator"));
        copy(ledger, "d-linked", "shelter-dushanbe", "linked-case:SHELTER", true);
        copy(ledger, "d-linked-among-others", "legal-aid-khujand", "regional:RETURN,linked-case:LEGAL", true);
        copy(ledger, "d-regional", "medical-dushanbe", "regional:MEDICAL", true);
        copy(ledger, "d-notice-stored-only", "psychosocial-dushanbe", "case-notice", false);
        copy(ledger, "d-notice", "education-dushanbe", "case-notice", true);
        copy(ledger, "d-unknown", "family-tracing", "linked_case:SHELTER", true);

        assertThat(ledger.providersGivenTheCase("border-service", "R-3", true))
                .containsExactlyInAnyOrder("shelter-dushanbe", "legal-aid-khujand", "education-dushanbe");
        assertThat(ledger.providersGivenTheCase("border-service", "R-3", false)).as("an update of the referral that opened its case")
                .containsExactly("education-dushanbe");
        assertThat(ledger.providersGivenTheCase("border-service", "R-other", true)).isEmpty();
    }

    private static void copy(DeliveryLedger ledger, String deliveryId, String provider, String rule, boolean handedOver) {
        ledger.storeOnce(new DeliveryLedger.NewDelivery(deliveryId, "border-service", "R-3", provider, "SHELTER", rule, "INBOX",
                "ROUTINE", "0".repeat(64), new byte[] {1}, AT));
        if (handedOver) {
            assertThat(ledger.markDelivered(deliveryId, null)).isTrue();
        }
    }

    private static Provider provider(String id) {
        Provider provider = mock(Provider.class);
        when(provider.id()).thenReturn(id);
        return provider;
    }
}
