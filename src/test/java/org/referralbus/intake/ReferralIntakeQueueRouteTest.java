package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.ReferralExamples;

/** The referral-intake-queue route: the shared pipeline; a rejected envelope is parked, still sealed, with its code. */
class ReferralIntakeQueueRouteTest extends AdvisedRoutes {

    @Test
    void queuedEnvelopeGoesThroughTheSharedPipeline() {
        String xml = freshExample("iom-mission-return-reintegration-gbao");

        Exchange done = template.send(INTAKE_QUEUE, e -> e.getIn().setBody(seal("iom-mission", xml)));

        assertThat(done.getException()).isNull();
        assertThat(passed("process-queued-envelope").getReceivedCounter()).isEqualTo(1);
        assertThat(copiesFor("reintegration-national")).hasSize(1);
        assertThat(sentTo(Flow.Endpoints.REFERRALS_INTAKE_REJECTED).getReceivedCounter()).isZero();
        assertThat(passed("issue-receipt").getReceivedCounter()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT state FROM referral WHERE sender = 'iom-mission' AND referral_id = ?",
                String.class, ReferralExamples.referralId(xml))).isEqualTo("ROUTED");
    }

    /**
     * Taken from the queue, the copies leave in turn, in the consumer's thread, so they join its broker transaction:
     * the first that cannot be handed over stops the rest (over HTTPS they leave side by side). The receipt was stored
     * and forced before the first left; the broker brings the envelope again, and its copies are handed over before
     * the stored receipt answers it.
     */
    @Test
    void queuedEnvelopesCopiesLeaveInTurnAndTheFirstFailureStopsTheRest() {
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("broker unavailable");
        });
        String xml = freshExample("iom-mission-minor-khatlon");

        Exchange done = template.send(INTAKE_QUEUE, e -> e.getIn().setBody(seal("iom-mission", xml)));

        assertThat(done.getException()).as("rolled back, for the broker to bring it again").isNotNull();
        assertThat(sentTo(Flow.Endpoints.PROVIDER_QUEUE).getReceivedCounter()).as("stopped at the first").isEqualTo(1);
        assertThat(passed("issue-receipt").getReceivedCounter()).as("stored before the copies left").isEqualTo(1);
        assertThat(auditRows(ReferralExamples.referralId(xml), "DELIVERED")).as("none recorded handed over").isZero();

        sentTo(Flow.Endpoints.PROVIDER_QUEUE).reset();
        Exchange again = template.send(INTAKE_QUEUE, e -> e.getIn().setBody(seal("iom-mission", xml)));

        assertThat(again.getException()).as("brought again by the broker: answered").isNull();
        assertThat(passed("issue-receipt").getReceivedCounter()).as("the stored receipt, not a new one").isEqualTo(1);
        assertThat(auditRows(ReferralExamples.referralId(xml), "DELIVERED")).as("handed over before the answer, each once")
                .isEqualTo(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND channel <> 'WEBHOOK'",
                        Integer.class, ReferralExamples.referralId(xml))).isPositive();
    }

    /**
     * The copies' sends were part of the intake message's broker transaction, which can roll back after their
     * hand-overs were recorded (the broker failed, or the bus was killed, before it committed): when the queue brings
     * the envelope again, its queue copies are handed over again, under their duplicate-detection ids, on another
     * thread (outside the consumer's transaction, which the broker would refuse whole for a message it holds already),
     * before the stored receipt answers it. Nothing is recorded twice; over HTTPS, where each send committed on its
     * own, the same envelope sends nothing again.
     */
    @Test
    void anEnvelopeTheQueueBringsAgainHasItsQueueCopiesHandedOverAgainOutsideItsTransaction() {
        String xml = freshExample("iom-mission-minor-khatlon");
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = seal("iom-mission", xml);
        assertThat(template.send(INTAKE_QUEUE, e -> e.getIn().setBody(envelope)).getException()).isNull();
        List<Object> firstIds = duplicateDetectionIds();
        int delivered = auditRows(referralId, "DELIVERED");
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).reset();

        assertThat(submit(envelope, "iom-mission").getException()).isNull();
        assertThat(sentTo(Flow.Endpoints.PROVIDER_QUEUE).getReceivedCounter()).as("over HTTPS nothing leaves again").isZero();

        List<String> sendingThreads = new CopyOnWriteArrayList<>();
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenAnyExchangeReceived(e -> sendingThreads.add(Thread.currentThread().getName()));
        Exchange again = template.send(INTAKE_QUEUE, e -> e.getIn().setBody(envelope));

        assertThat(again.getException()).isNull();
        assertThat(firstIds).hasSizeGreaterThan(1);
        assertThat(duplicateDetectionIds()).as("every queue copy again, under its own id").containsExactlyInAnyOrderElementsOf(firstIds);
        assertThat(sendingThreads).as("not the consumer's thread").doesNotContain(Thread.currentThread().getName());
        assertThat(auditRows(referralId, "DELIVERED")).as("recorded once").isEqualTo(delivered);
        assertThat(passed("issue-receipt").getReceivedCounter()).as("the stored receipt answers").isEqualTo(1);
    }

    /** A copy that cannot be handed over again fails the answer too, so the broker brings the envelope once more. */
    @Test
    void aCopyThatCannotBeHandedOverAgainRollsTheEnvelopeBack() {
        byte[] envelope = seal("iom-mission", freshExample("iom-mission-minor-khatlon"));
        assertThat(template.send(INTAKE_QUEUE, e -> e.getIn().setBody(envelope)).getException()).isNull();
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("broker unavailable");
        });

        Exchange again = template.send(INTAKE_QUEUE, e -> e.getIn().setBody(envelope));

        assertThat(again.getException()).as("rolled back, for the broker to bring it again").isNotNull();
        assertThat(sentTo(Flow.Endpoints.REFERRALS_INTAKE_REJECTED).getReceivedCounter()).as("not parked").isZero();
    }

    private List<Object> duplicateDetectionIds() {
        return sentTo(Flow.Endpoints.PROVIDER_QUEUE).getExchanges().stream()
                .map(e -> e.getMessage().getHeader(Flow.Headers.DUPLICATE_DETECTION_ID)).toList();
    }

    @Test
    void rejectedEnvelopeIsParkedStillSealedWithOnlyItsErrorCode() {
        byte[] envelope = seal("border-service", ReferralExamples.withFreshId(ReferralExamples.fixture("invalid/two-errors.xml")));

        Exchange done = template.send(INTAKE_QUEUE, e -> e.getIn().setBody(envelope));

        assertThat(done.getException()).isNull();
        assertThat(passed("process-queued-envelope").getReceivedCounter()).isZero();
        assertThat(sentTo(Flow.Endpoints.REFERRALS_INTAKE_REJECTED).getExchanges()).singleElement().satisfies(parked -> {
            assertThat(parked.getMessage().getHeaders()).containsExactly(Map.entry(Flow.Headers.ERROR_CODE, "schema_violation"));
            assertThat(parked.getMessage().getBody(byte[].class)).isEqualTo(envelope);
        });
    }

    @Test
    void aTlsClientClaimedOnTheQueueIsIgnoredTheSignerIsTheSender() {
        String xml = freshExample("iom-mission-return-reintegration-gbao");

        Exchange signed = template.send(INTAKE_QUEUE, e -> {
            e.getIn().setBody(seal("iom-mission", xml));
            e.getIn().setHeader(Flow.Headers.TLS_CLIENT, "border-service");
        });
        Exchange garbage = template.send(INTAKE_QUEUE, e -> {
            e.getIn().setBody("not an envelope".getBytes(StandardCharsets.US_ASCII));
            e.getIn().setHeader(Flow.Headers.TLS_CLIENT, "ngo-hotline");
        });

        assertThat(signed.getException()).isNull();
        assertThat(garbage.getException()).isNull();
        assertThat(copiesFor("reintegration-national")).as("no signer_mismatch against the claim").hasSize(1);
        assertThat(sentTo(Flow.Endpoints.REFERRALS_INTAKE_REJECTED).getExchanges()).singleElement()
                .satisfies(p -> assertThat(p.getMessage().getHeader(Flow.Headers.ERROR_CODE)).isEqualTo("envelope_malformed"));
        assertThat(jdbc.queryForMap("SELECT actor, detail FROM audit_event WHERE event_type = 'REJECTED' ORDER BY seq DESC LIMIT 1"))
                .as("the rejection names no claimed actor").containsEntry("ACTOR", null).containsEntry("DETAIL", "envelope_malformed");
    }
}
