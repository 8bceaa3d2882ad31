package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.dedupe.Receipt;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.ReferralExamples;

/** The process-referral route: a new referral is linked and routed; a repeat is answered from the stored receipt. */
class ProcessReferralRouteTest extends AdvisedRoutes {

    @Test
    void newReferralIsLinkedRoutedAndAnsweredWithItsReceipt() {
        String xml = freshExample("iom-mission-return-reintegration-gbao");
        NotifyBuilder routed = new NotifyBuilder(camel).fromRoute("process-referral").wereSentTo(Flow.Endpoints.ROUTE_AND_DELIVER)
                .whenCompleted(1).create();

        Exchange done = submit(seal("iom-mission", xml), "iom-mission");

        assertThat(done.getException()).isNull();
        assertThat(routed.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(done.getMessage().getBody()).isInstanceOf(Receipt.class);
        assertThat(done.getMessage().getHeader(Flow.Headers.DUPLICATE)).isEqualTo(false);
        assertThat(passed("link-case").getReceivedCounter()).isEqualTo(1);
        assertThat(passed("replay-receipt").getReceivedCounter()).isZero();
        assertThat(passed("answer-with-stored-receipt").getReceivedCounter()).isZero();
        assertThat(copiesFor("reintegration-national")).hasSize(1);
    }

    @Test
    void theSameEnvelopeAgainTakesTheIdempotentConsumersDuplicateBranchAndReplaysTheReceipt() {
        String xml = freshExample("iom-mission-return-reintegration-gbao");
        byte[] envelope = seal("iom-mission", xml);
        Receipt first = submit(envelope, "iom-mission").getMessage().getBody(Receipt.class);
        NotifyBuilder secondRun = new NotifyBuilder(camel).fromRoute("process-referral").whenCompleted(1).create();

        Exchange again = submit(envelope, "iom-mission");

        assertThat(secondRun.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(again.getException()).isNull();
        assertThat(passed("replay-receipt").getReceivedCounter()).isEqualTo(1);
        assertThat(passed("link-case").getReceivedCounter()).as("the first run only").isEqualTo(1);
        assertThat(again.getMessage().getHeader(Flow.Headers.DUPLICATE)).isEqualTo(true);
        assertThat(again.getMessage().getBody(Receipt.class).json()).isEqualTo(first.json());
        assertThat(again.getMessage().getBody(Receipt.class).signature()).isEqualTo(first.signature());
        assertThat(copiesFor("reintegration-national")).as("delivered once").hasSize(1);
        assertThat(auditRows(ReferralExamples.referralId(xml), "DUPLICATE")).isEqualTo(1);
    }

    @Test
    void theSameReferralInANewEnvelopeIsAnsweredFromTheReferralLedger() {
        String xml = freshExample("iom-mission-return-reintegration-gbao");
        Receipt first = submit(seal("iom-mission", xml), "iom-mission").getMessage().getBody(Receipt.class);

        Exchange resealed = submit(seal("iom-mission", xml), "iom-mission");

        assertThat(resealed.getException()).isNull();
        assertThat(passed("replay-receipt").getReceivedCounter()).as("a new envelope").isZero();
        assertThat(passed("answer-with-stored-receipt").getReceivedCounter()).isEqualTo(1);
        assertThat(resealed.getMessage().getHeader(Flow.Headers.DUPLICATE)).isEqualTo(true);
        assertThat(resealed.getMessage().getBody(Receipt.class).json()).isEqualTo(first.json());
        assertThat(copiesFor("reintegration-national")).as("delivered once").hasSize(1);
    }
}
