package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.retention.Erasure;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.LogCapture;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The reroute route, fed by its callers: a decline goes to the next eligible provider (here none is left, so the
 * coordinator), a missed deadline straight to the coordinator. A re-routing that fails stays due and the sweep of
 * stranded re-routings finishes it.
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
    @Autowired
    StrandedReroutes stranded;
    @Autowired
    NeedLedger needs;
    @Autowired
    ReroutesDueMetrics reroutesDue;
    @Autowired
    Erasure erasure;

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
            assertThat(xml(copy)).contains("ALL_DECLINED:LEGAL");
        });
        assertThat(jdbc.queryForList("SELECT counterpart FROM audit_event WHERE referral_id = ? AND event_type = 'REROUTED'",
                String.class, referralId)).containsExactly("coordinator");
    }

    @Test
    void aNeedTheCoordinatorDeclinesGoesToNobodyAndStaysDeclined() {
        String referralId = submitted();
        acknowledgements.acknowledge(delivery(referralId, "legal-aid-khujand"), Acknowledgements.Decision.DECLINED, null);
        DeliveryLedger.DeliveryRow coordinator = delivery(referralId, "coordinator");
        MockEndpoint.resetMocks(camel);
        NotifyBuilder rerouted = new NotifyBuilder(camel).fromRoute("reroute").whenCompleted(1).create();

        acknowledgements.acknowledge(coordinator, Acknowledgements.Decision.DECLINED, Acknowledgements.DeclineReason.OTHER);

        assertThat(rerouted.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(copiesFor("coordinator")).as("not handed back to the coordinator that declined it").isEmpty();
        assertThat(auditRows(referralId, "REROUTED")).as("only the first re-routing").isEqualTo(1);
        assertThat(pendingServices(coordinator.deliveryId())).as("nothing left due").isEmpty();
        assertThat(needs.needs("interior-ministry", referralId)).filteredOn(n -> n.service().equals("LEGAL")).singleElement()
                .satisfies(n -> {
                    assertThat(n.providerId()).isEqualTo("coordinator");
                    assertThat(n.state()).isEqualTo(NeedLedger.NeedState.DECLINED);
                });
    }

    @Test
    void theStoredEnvelopesSignerIsJudgedAsOfTheReferralsAdmission() {
        String referralId = submitted();
        DeliveryLedger.DeliveryRow legalAid = delivery(referralId, "legal-aid-khujand");
        OffsetDateTime received = jdbc.queryForObject("SELECT received_at FROM referral WHERE referral_id = ?", OffsetDateTime.class, referralId);
        // As if admitted before the agency's certificate was valid: judged as of then, its signer is not trusted.
        OffsetDateTime beforeTheCertificate = SampleKeys.certificateOf("agencies", "interior-ministry").getNotBefore().toInstant()
                .minusSeconds(86_400).atOffset(java.time.ZoneOffset.UTC);
        jdbc.update("UPDATE referral SET received_at = ? WHERE referral_id = ?", beforeTheCertificate, referralId);

        acknowledgements.acknowledge(legalAid, Acknowledgements.Decision.DECLINED, null);

        assertThat(copiesFor("coordinator")).isEmpty();
        assertThat(pendingServices(legalAid.deliveryId())).as("refused as of that admission, so still due").containsExactly("LEGAL");

        jdbc.update("UPDATE referral SET received_at = ? WHERE referral_id = ?", received, referralId);
        stranded.rerouteStranded();

        assertThat(copiesFor("coordinator")).singleElement().satisfies(copy -> assertThat(xml(copy)).contains("ALL_DECLINED:LEGAL"));
        assertThat(pendingServices(legalAid.deliveryId())).isEmpty();
    }

    @Test
    void anErasedReferralsCopiesLeaveTheInboxAndADeclineOfOneEndsItsReroutingWithOneWarning() {
        String referralId = submitted();
        DeliveryLedger.DeliveryRow legalAid = delivery(referralId, "legal-aid-khujand");
        erasure.erase("coordinator", "interior-ministry", referralId);
        assertThat(deliveries.pendingFor("legal-aid-khujand")).as("nothing left to fetch")
                .noneMatch(d -> d.referralId().equals(referralId));

        try (LogCapture log = LogCapture.start()) {
            acknowledgements.acknowledge(legalAid, Acknowledgements.Decision.DECLINED, null);
            stranded.rerouteStranded();

            assertThat(pendingServices(legalAid.deliveryId())).as("not due for ever").isEmpty();
            assertThat(copiesFor("coordinator")).isEmpty();
            assertThat(log.lines("go to nobody: the referral was erased")).singleElement().asString().contains(referralId);
            assertThat(log.events()).as("no error, no stack trace").noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                    .noneMatch(e -> e.getThrowableProxy() != null);
        }
    }

    @Test
    void aFailingReroutingIsLoggedOnceByItsCallerWithoutAStackTrace() {
        try (LogCapture log = LogCapture.start()) {
            assertThat(rerouting.reroute(new RerouteRequest("iom-mission", "no-such-referral", List.of(ServiceCode.LEGAL), null, "d-none")))
                    .isFalse();

            assertThat(log.lines("Re-routing the needs [LEGAL] of referral no-such-referral")).hasSize(1);
            assertThat(log.events()).noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                    .noneMatch(e -> e.getThrowableProxy() != null);
        }
    }

    @Test
    void missedDeadlineHandsTheNeedsToTheCoordinatorWithTheReason() {
        String referralId = submitted();
        DeliveryLedger.DeliveryRow reintegration = overdue(delivery(referralId, "reintegration-national"));

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
    void aDeclineWhoseReroutingFailsStandsAndTheSweepMovesItsNeedsOnLater() {
        String referralId = submitted();
        DeliveryLedger.DeliveryRow legalAid = delivery(referralId, "legal-aid-khujand");
        brokerDown();

        double dueBefore = reroutesDue.needs();

        DeliveryLedger.DeliveryRow answered = acknowledgements.acknowledge(legalAid, Acknowledgements.Decision.DECLINED, null);

        assertThat(answered.state()).isEqualTo(DeliveryLedger.State.DECLINED);
        assertThat(auditRows(referralId, "DECLINED")).isEqualTo(1);
        assertThat(auditRows(referralId, "REROUTED")).isEqualTo(1); // audited as decided; its copy did not leave
        assertThat(pendingServices(legalAid.deliveryId())).containsExactly("LEGAL");
        assertThat(needs.closedAt("interior-ministry", referralId)).as("a need due to be re-routed is not closed").isEmpty();
        assertThat(reroutesDue.needs()).as("the gauge operators alert on").isEqualTo(dueBefore + 1);

        OffsetDateTime dueSince = dueSince(legalAid.deliveryId());
        stranded.rerouteStranded();
        assertThat(auditRows(referralId, "REROUTED")).as("the failed attempt is over: the sweep tried at once").isEqualTo(2);
        assertThat(pendingServices(legalAid.deliveryId())).as("and failed too").containsExactly("LEGAL");
        assertThat(dueSince(legalAid.deliveryId())).as("the age an operator alerts on is kept across attempts").isEqualTo(dueSince);

        MockEndpoint.resetMocks(camel); // the broker is back
        stranded.rerouteStranded();

        assertThat(copiesFor("coordinator")).singleElement().satisfies(copy -> assertThat(xml(copy)).contains("ALL_DECLINED:LEGAL"));
        assertThat(pendingServices(legalAid.deliveryId())).isEmpty();
        assertThat(reroutesDue.needs()).isEqualTo(dueBefore);
        assertThat(needs.needs("interior-ministry", referralId)).filteredOn(n -> n.service().equals("LEGAL")).singleElement()
                .satisfies(n -> {
                    assertThat(n.providerId()).isEqualTo("coordinator");
                    assertThat(n.state()).isIn(NeedLedger.NeedState.ROUTED, NeedLedger.NeedState.DELIVERED);
                });
    }

    @Test
    void aMissedDeadlineWhoseHandOverFailsIsHandedOverByTheSweep() {
        String referralId = submitted();
        DeliveryLedger.DeliveryRow reintegration = overdue(delivery(referralId, "reintegration-national"));
        brokerDown();

        deadlines.escalateOverdue();
        assertThat(pendingServices(reintegration.deliveryId())).containsExactlyInAnyOrderElementsOf(reintegration.services());

        MockEndpoint.resetMocks(camel);
        stranded.rerouteStranded();

        assertThat(copiesFor("coordinator")).singleElement().satisfies(copy -> assertThat(xml(copy)).contains("NO_ACK:reintegration-national"));
        assertThat(pendingServices(reintegration.deliveryId())).isEmpty();
    }

    @Test
    void aReroutingThatOnlyMissedItsLastStepIsMarkedDoneWithoutASecondCopy() {
        String referralId = submitted();
        DeliveryLedger.DeliveryRow legalAid = delivery(referralId, "legal-aid-khujand");
        acknowledgements.acknowledge(legalAid, Acknowledgements.Decision.DECLINED, null);
        assertThat(copiesFor("coordinator")).hasSize(1);
        // As if the bus had been killed after the copy left and before the route's last step.
        jdbc.update("INSERT INTO pending_reroute (delivery_id, service, sender, referral_id, escalation, since, next_try) "
                        + "VALUES (?, 'LEGAL', ?, ?, NULL, ?, ?)", legalAid.deliveryId(), "interior-ministry", referralId,
                OffsetDateTime.now().minusHours(2), OffsetDateTime.now().minusHours(1));
        MockEndpoint.resetMocks(camel);

        stranded.rerouteStranded();

        assertThat(pendingServices(legalAid.deliveryId())).isEmpty();
        assertThat(copiesFor("coordinator")).isEmpty();
        assertThat(passed("audit-reroute").getReceivedCounter()).isZero();
    }

    @Test
    void reroutingAReferralTheBusDoesNotHoldFailsAndIsNotAudited() {
        assertThat(rerouting.reroute(new RerouteRequest("iom-mission", "no-such-referral", List.of(ServiceCode.LEGAL), null, "d-none")))
                .isFalse();
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

    private DeliveryLedger.DeliveryRow overdue(DeliveryLedger.DeliveryRow delivery) {
        jdbc.update("UPDATE delivery SET ack_deadline = ? WHERE delivery_id = ?", OffsetDateTime.now().minusMinutes(1), delivery.deliveryId());
        return delivery;
    }

    /** Every send to a provider's queue fails, until the mocks are reset. */
    private void brokerDown() {
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("broker unavailable");
        });
    }

    private OffsetDateTime dueSince(String deliveryId) {
        return jdbc.queryForObject("SELECT MIN(since) FROM pending_reroute WHERE delivery_id = ?", OffsetDateTime.class, deliveryId);
    }

    private List<String> pendingServices(String deliveryId) {
        return jdbc.queryForList("SELECT service FROM pending_reroute WHERE delivery_id = ? ORDER BY service", String.class, deliveryId);
    }

    private static String xml(Exchange copy) {
        return new String(ProviderInbox.open("coordinator", copy.getMessage().getBody(byte[].class)).content(), StandardCharsets.UTF_8);
    }
}
