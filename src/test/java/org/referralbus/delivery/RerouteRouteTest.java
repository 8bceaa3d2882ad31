package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The reroute route, fed by its callers: a decline goes to the next eligible provider (here none is left, so the
 * coordinator), a missed deadline straight to the coordinator; a failure reaches the caller.
 */
class RerouteRouteTest extends AdvisedRoutes {

    @Autowired
    DeliveryLedger deliveries;
    @Autowired
    Acknowledgements acknowledgements;
    @Autowired
    AcknowledgementDeadlines deadlines;
    @Autowired
    RerouteFlow rerouting;

    @Test
    void declinedNeedGoesToTheNextEligibleProviderHereTheCoordinator() {
        String referralId = submitted();
        DeliveryLedger.DeliveryRow legalAid = delivery(referralId, "legal-aid-khujand");
        NotifyBuilder rerouted = new NotifyBuilder(camel).fromRoute("reroute").whenCompleted(1).create();

        acknowledgements.acknowledge(legalAid, Acknowledgements.Decision.DECLINED, Acknowledgements.DeclineReason.NO_CAPACITY);

        assertThat(rerouted.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(passed("choose-next-provider").getReceivedCounter()).isEqualTo(1);
        assertThat(passed("hand-to-coordinator").getReceivedCounter()).isZero();
        assertThat(copiesFor("coordinator")).singleElement().satisfies(copy -> {
            assertThat(copy.getMessage().getHeader(Flow.Headers.SERVICES)).isEqualTo("LEGAL");
            assertThat(xml(copy)).contains("NO_PROVIDER:LEGAL");
        });
        assertThat(jdbc.queryForList("SELECT counterpart FROM audit_event WHERE referral_id = ? AND event_type = 'REROUTED'",
                String.class, referralId)).containsExactly("coordinator");
    }

    @Test
    void missedDeadlineHandsTheNeedsToTheCoordinatorWithTheReason() {
        String referralId = submitted();
        DeliveryLedger.DeliveryRow reintegration = delivery(referralId, "reintegration-national");
        jdbc.update("UPDATE delivery SET ack_deadline = ? WHERE delivery_id = ?", OffsetDateTime.now().minusMinutes(1),
                reintegration.deliveryId());

        deadlines.escalateOverdue();

        assertThat(passed("hand-to-coordinator").getReceivedCounter()).isEqualTo(1);
        assertThat(passed("choose-next-provider").getReceivedCounter()).isZero();
        assertThat(copiesFor("coordinator")).singleElement().satisfies(copy -> {
            assertThat(copy.getMessage().getHeader(Flow.Headers.SERVICES, String.class).split(","))
                    .containsExactlyInAnyOrderElementsOf(reintegration.services());
            assertThat(xml(copy)).contains("NO_ACK:reintegration-national");
        });
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_event WHERE referral_id = ? AND event_type = 'REROUTED'",
                String.class, referralId)).endsWith(";NO_ACK:reintegration-national").startsWith("escalated:");
    }

    @Test
    void aCopyThatCannotBeDispatchedFailsTheAcknowledgementButTheDeclineStands() {
        String referralId = submitted();
        DeliveryLedger.DeliveryRow legalAid = delivery(referralId, "legal-aid-khujand");
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("broker unavailable");
        });

        assertThatThrownBy(() -> acknowledgements.acknowledge(legalAid, Acknowledgements.Decision.DECLINED, null))
                .isInstanceOfSatisfying(ReferralBusException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR));

        assertThat(deliveries.find(legalAid.deliveryId())).hasValueSatisfying(d -> assertThat(d.state()).isEqualTo(DeliveryLedger.State.DECLINED));
        assertThat(auditRows(referralId, "DECLINED")).isEqualTo(1);
    }

    @Test
    void reroutingAReferralTheBusDoesNotHoldIsAnInternalError() {
        assertThatThrownBy(() -> rerouting.reroute(RerouteRequest.toNextProvider("iom-mission", "no-such-referral", List.of(ServiceCode.LEGAL))))
                .isInstanceOfSatisfying(ReferralBusException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR));
        assertThat(passed("audit-reroute").getReceivedCounter()).isZero();
    }

    /** LEGAL goes to legal-aid-khujand (INBOX; no other legal provider in SUGHD), RETURN and REINTEGRATION to reintegration-national. */
    private String submitted() {
        String xml = freshExample("interior-ministry-labour-legal-sughd");
        Exchange done = submit(seal("interior-ministry", xml), "interior-ministry");
        assertThat(done.getException()).isNull();
        MockEndpoint.resetMocks(camel);
        return ReferralExamples.referralId(xml);
    }

    private DeliveryLedger.DeliveryRow delivery(String referralId, String provider) {
        return deliveries.pendingFor(provider).stream().filter(d -> d.referralId().equals(referralId)).findFirst().orElseThrow();
    }

    private static String xml(Exchange copy) {
        return new String(ProviderInbox.open("coordinator", copy.getMessage().getBody(byte[].class)).content(), StandardCharsets.UTF_8);
    }
}
