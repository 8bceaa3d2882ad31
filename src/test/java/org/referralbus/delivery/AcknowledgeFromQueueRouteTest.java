package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.ReferralExamples;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Acknowledgements from a QUEUE provider's AMQP queue: the entry route names the provider from the queue whatever the
 * message claims; the acknowledge-from-queue route applies the answer as the HTTPS inbox does (accept, decline and
 * re-route, close), and parks a refused one as sent, labelled with its code, after auditing it.
 */
class AcknowledgeFromQueueRouteTest extends AdvisedRoutes {

    private static final String PROVIDER = "reintegration-national";

    @Autowired
    DeliveryLedger deliveries;

    @Test
    void theQueueNamesTheProviderWhateverTheMessageClaims() {
        String referralId = submitted();
        String deliveryId = delivery(referralId).deliveryId();

        Exchange done = template.send(ACKNOWLEDGEMENTS_OF_REINTEGRATION, e -> {
            e.getIn().setBody(ack(deliveryId, "ACCEPTED", null));
            e.getIn().setHeader(Flow.Headers.PROVIDER_ID, "coordinator");
            e.getIn().setHeader("JMSXUserID", "coordinator");
        });

        assertThat(done.getException()).isNull();
        assertThat(passed("sender-from-queue-reintegration-national").getExchanges()).singleElement()
                .satisfies(e -> assertThat(e.getMessage().getHeaders()).containsExactly(Map.entry(Flow.Headers.PROVIDER_ID, PROVIDER)));
        assertThat(state(deliveryId)).isEqualTo(DeliveryLedger.State.ACCEPTED);
        assertThat(auditActors(referralId, "ACKNOWLEDGED")).isEqualTo(PROVIDER);
        assertThat(sentTo(Flow.Endpoints.ACKNOWLEDGEMENTS_REJECTED).getReceivedCounter()).isZero();
    }

    @Test
    void aDeclineIsRecordedWithItsReasonAndTheNeedsAreReRouted() {
        String referralId = submitted();
        String deliveryId = delivery(referralId).deliveryId();
        NotifyBuilder rerouted = new NotifyBuilder(camel).fromRoute("reroute").whenCompleted(1).create();

        Exchange done = fromQueue(PROVIDER, ack(deliveryId, "declined", "no_capacity"));

        assertThat(done.getException()).isNull();
        assertThat(rerouted.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(state(deliveryId)).isEqualTo(DeliveryLedger.State.DECLINED);
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_event WHERE referral_id = ? AND event_type = 'DECLINED'",
                String.class, referralId)).isEqualTo("delivery:" + deliveryId + ";reason:NO_CAPACITY");
        assertThat(passed("choose-next-provider").getReceivedCounter()).isEqualTo(1);
        assertThat(copiesFor("coordinator")).hasSize(1);
    }

    @Test
    void anAcceptedCaseReportedClosedIsClosedAndARepeatIsHarmless() {
        String referralId = submitted();
        String deliveryId = delivery(referralId).deliveryId();
        fromQueue(PROVIDER, ack(deliveryId, "ACCEPTED", null));

        Exchange closed = fromQueue(PROVIDER, ack(deliveryId, "CLOSED", null));
        Exchange again = fromQueue(PROVIDER, ack(deliveryId, "CLOSED", null));
        Exchange acceptedAgain = fromQueue(PROVIDER, ack(deliveryId, "ACCEPTED", null)); // its first answer, repeated

        assertThat(closed.getException()).isNull();
        assertThat(again.getException()).isNull();
        assertThat(acceptedAgain.getException()).isNull();
        assertThat(state(deliveryId)).isEqualTo(DeliveryLedger.State.CLOSED);
        assertThat(auditActors(referralId, "CLOSED")).isEqualTo(PROVIDER);
        assertThat(sentTo(Flow.Endpoints.ACKNOWLEDGEMENTS_REJECTED).getReceivedCounter()).isZero();
    }

    @Test
    void anotherProvidersDeliveryIsRefusedAsNotFoundAuditedAndParkedAsSent() {
        String referralId = submitted();
        String deliveryId = delivery(referralId).deliveryId();
        byte[] body = ack(deliveryId, "DECLINED", "OTHER");

        Exchange done = fromQueue("medical-dushanbe", body);

        assertThat(done.getException()).as("a refusal is handled, not redelivered").isNull();
        assertThat(state(deliveryId)).isEqualTo(DeliveryLedger.State.DELIVERED);
        assertThat(sentTo(Flow.Endpoints.ACKNOWLEDGEMENTS_REJECTED).getExchanges()).singleElement().satisfies(parked -> {
            assertThat(parked.getMessage().getHeaders()).containsOnly(Map.entry(Flow.Headers.ERROR_CODE, "not_found"),
                    Map.entry(Flow.Headers.PROVIDER_ID, "medical-dushanbe"));
            assertThat(parked.getMessage().getBody(byte[].class)).isEqualTo(body);
        });
        assertThat(lastRejection()).containsEntry("ACTOR", "medical-dushanbe")
                .containsEntry("DETAIL", "not_found;acknowledgement:amqp;delivery:" + deliveryId);
    }

    @Test
    void malformedAcknowledgementsAreRefusedAsInvalidRequests() {
        String deliveryId = delivery(submitted()).deliveryId();
        byte[][] bad = {
                "not json".getBytes(StandardCharsets.UTF_8),
                "[\"ACCEPTED\"]".getBytes(StandardCharsets.UTF_8),
                ("{\"deliveryId\":\"" + deliveryId + "\"}").getBytes(StandardCharsets.UTF_8),
                ("{\"deliveryId\":\"" + deliveryId + "\",\"decision\":\"MAYBE\"}").getBytes(StandardCharsets.UTF_8),
                ("{\"deliveryId\":\"" + deliveryId + "\",\"decision\":\"ACCEPTED\",\"name\":\"Dilnoza\"}").getBytes(StandardCharsets.UTF_8),
                ("{\"deliveryId\":\"" + deliveryId + "\",\"decision\":\"CLOSED\",\"reason\":\"OTHER\"}").getBytes(StandardCharsets.UTF_8),
                ("{\"deliveryId\":\"" + deliveryId + "\",\"decision\":\"ACCEPTED\",\"reason\":\"OTHER\"}").getBytes(StandardCharsets.UTF_8),
                ("{\"deliveryId\":\"" + deliveryId + "\",\"decision\":\"ACCEPTED\",\"decision\":\"DECLINED\"}").getBytes(StandardCharsets.UTF_8),
                new byte[]{'{', (byte) 0xC3, '}'},
                new byte[QueuedAcknowledgements.MAX_BODY_BYTES + 1]};

        for (byte[] body : bad) {
            assertThat(fromQueue(PROVIDER, body).getException()).isNull();
        }

        assertThat(sentTo(Flow.Endpoints.ACKNOWLEDGEMENTS_REJECTED).getExchanges()).hasSize(bad.length)
                .allSatisfy(p -> assertThat(p.getMessage().getHeader(Flow.Headers.ERROR_CODE)).isEqualTo("invalid_request"));
        assertThat(state(deliveryId)).isEqualTo(DeliveryLedger.State.DELIVERED);
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE event_type = 'REJECTED' AND actor = ? ORDER BY seq DESC LIMIT ?",
                String.class, PROVIDER, bad.length)).hasSize(bad.length).allSatisfy(detail -> assertThat(detail)
                .startsWith("invalid_request;acknowledgement:amqp").doesNotContain("Dilnoza"));
    }

    @Test
    void aDifferentSecondAnswerIsAConflict() {
        String deliveryId = delivery(submitted()).deliveryId();
        fromQueue(PROVIDER, ack(deliveryId, "ACCEPTED", null));

        fromQueue(PROVIDER, ack(deliveryId, "DECLINED", "OUT_OF_AREA"));

        assertThat(state(deliveryId)).isEqualTo(DeliveryLedger.State.ACCEPTED);
        assertThat(sentTo(Flow.Endpoints.ACKNOWLEDGEMENTS_REJECTED).getExchanges()).singleElement()
                .satisfies(p -> assertThat(p.getMessage().getHeader(Flow.Headers.ERROR_CODE)).isEqualTo("acknowledgement_conflict"));
    }

    @Test
    void aDeclineWhoseReroutingFailsIsAppliedAndItsReroutingStaysDue() {
        String deliveryId = delivery(submitted()).deliveryId();
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("broker unavailable");
        });

        Exchange done = fromQueue(PROVIDER, ack(deliveryId, "DECLINED", "NO_CAPACITY"));

        assertThat(done.getException()).isNull();
        assertThat(deliveries.find(deliveryId)).hasValueSatisfying(d -> assertThat(d.state()).isEqualTo(DeliveryLedger.State.DECLINED));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM pending_reroute WHERE delivery_id = ?", Integer.class, deliveryId))
                .as("due, for the sweep of stranded re-routings").isPositive();
        assertThat(sentTo(Flow.Endpoints.ACKNOWLEDGEMENTS_REJECTED).getReceivedCounter()).isZero();
    }

    @Test
    void anInternalFailureIsNotARefusalItFailsTheExchangeAndRecordsNothingSoTheRedeliveryCanApplyIt() {
        String deliveryId = delivery(submitted()).deliveryId();
        jdbc.execute("ALTER TABLE pending_reroute RENAME TO pending_reroute_away"); // the decline's transaction fails at its last write
        Exchange done;
        try {
            done = fromQueue(PROVIDER, ack(deliveryId, "DECLINED", "NO_CAPACITY"));
        } finally {
            jdbc.execute("ALTER TABLE pending_reroute_away RENAME TO pending_reroute");
        }

        assertThat(done.getException()).isNotNull().isNotInstanceOf(ReferralBusException.class);
        assertThat(sentTo(Flow.Endpoints.ACKNOWLEDGEMENTS_REJECTED).getReceivedCounter()).as("not parked: redelivered").isZero();
        assertThat(deliveries.find(deliveryId)).as("rolled back with the rest of the answer")
                .hasValueSatisfying(d -> assertThat(d.state()).isEqualTo(DeliveryLedger.State.DELIVERED));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE event_type = 'DECLINED' AND detail LIKE ?",
                Integer.class, "delivery:" + deliveryId + "%")).isZero();

        assertThat(fromQueue(PROVIDER, ack(deliveryId, "DECLINED", "NO_CAPACITY")).getException()).as("the redelivery").isNull();
        assertThat(deliveries.find(deliveryId)).hasValueSatisfying(d -> assertThat(d.state()).isEqualTo(DeliveryLedger.State.DECLINED));
    }

    private Exchange fromQueue(String provider, byte[] body) {
        return template.send(Flow.Endpoints.ACKNOWLEDGE_FROM_QUEUE, e -> {
            e.getIn().setBody(body);
            e.getIn().setHeader(Flow.Headers.PROVIDER_ID, provider);
        });
    }

    private static byte[] ack(String deliveryId, String decision, String reason) {
        return ("{\"deliveryId\":\"" + deliveryId + "\",\"decision\":\"" + decision + "\""
                + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** RETURN and REINTEGRATION go to reintegration-national (QUEUE); LEGAL to legal-aid-khujand. */
    private String submitted() {
        String xml = freshExample("interior-ministry-labour-legal-sughd");
        assertThat(submit(seal("interior-ministry", xml), "interior-ministry").getException()).isNull();
        MockEndpoint.resetMocks(camel);
        return ReferralExamples.referralId(xml);
    }

    private DeliveryLedger.DeliveryRow delivery(String referralId) {
        return deliveries.pendingFor(PROVIDER).stream().filter(d -> d.referralId().equals(referralId)).findFirst().orElseThrow();
    }

    private DeliveryLedger.State state(String deliveryId) {
        return deliveries.find(deliveryId).orElseThrow().state();
    }

    private String auditActors(String referralId, String type) {
        return String.join(",", jdbc.queryForList("SELECT actor FROM audit_event WHERE referral_id = ? AND event_type = ?",
                String.class, referralId, type));
    }

    private Map<String, Object> lastRejection() {
        return jdbc.queryForMap("SELECT actor, detail FROM audit_event WHERE event_type = 'REJECTED' ORDER BY seq DESC LIMIT 1");
    }
}
