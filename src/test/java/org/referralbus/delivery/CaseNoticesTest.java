package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.dedupe.CaseCorrections;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.routing.Provider;
import org.referralbus.routing.ProviderRegistry;

/**
 * A case notice is a fresh copy of the referral sealed for the provider's registered certificate: a provider whose
 * certificate the bus no longer accepts (revoked, perhaps because its key was stolen; or expired) gets no new referral
 * (ProviderStanding), and no notice either; the coordinator sees it among the providers not told.
 */
class CaseNoticesTest {

    private final NeedLedger needs = mock(NeedLedger.class);
    private final ProviderRegistry registry = mock(ProviderRegistry.class);
    private final ProducerTemplate flow = mock(ProducerTemplate.class);
    private final CaseNotices notices = new CaseNotices(needs, mock(ReferralLedger.class), registry, flow);

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
        OffsetDateTime at = OffsetDateTime.parse("2026-12-01T10:00:00Z");
        when(needs.needs("border-service", "R-1")).thenReturn(List.of(
                new NeedLedger.NeedRow("SHELTER", "shelter-dushanbe", "d-1", NeedLedger.NeedState.ACCEPTED, at),
                new NeedLedger.NeedRow("MEDICAL", "medical-centre", "d-2", NeedLedger.NeedState.DELIVERED, at)));
        Exchange sent = mock(Exchange.class);
        when(flow.send(eq(Flow.Endpoints.CASE_NOTICE), any(Processor.class))).thenReturn(sent);

        CaseNotices.Told told = notices.tell(List.of(new CaseCorrections.Affected("border-service", "R-1", "case-2", "CASES_MERGED:case-1")));

        assertThat(told.sent()).extracting(CaseNotice::providerId).containsExactly("medical-centre");
        assertThat(told.failed()).extracting(CaseNotice::providerId).as("reported, not sealed for a key the bus refuses")
                .containsExactly("shelter-dushanbe");
        verify(flow, org.mockito.Mockito.times(1)).send(anyString(), any(Processor.class));
    }

    private static Provider provider(String id) {
        Provider provider = mock(Provider.class);
        when(provider.id()).thenReturn(id);
        return provider;
    }
}
