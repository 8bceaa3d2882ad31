package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.dedupe.Receipt;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.ReferralExamples;

/** The route-and-deliver route: one copy per chosen provider, sent side by side, then the receipt; a copy that fails fails the referral. */
class RouteAndDeliverRouteTest extends AdvisedRoutes {

    @Test
    void everyChosenProviderGetsOneCopyThenTheReceiptIsIssued() {
        String xml = freshExample("iom-mission-minor-khatlon");
        String referralId = ReferralExamples.referralId(xml);

        Exchange done = submit(seal("iom-mission", xml), "iom-mission");

        assertThat(done.getException()).isNull();
        assertThat(passed("route-referral").getReceivedCounter()).isEqualTo(1);
        int copies = passed("mark-delivered").getReceivedCounter() + passed("mark-in-inbox").getReceivedCounter()
                + passed("queue-webhook-push").getReceivedCounter();
        assertThat(copies).as("one copy per ROUTED provider").isEqualTo(auditRows(referralId, "ROUTED")).isGreaterThan(1);
        assertThat(copiesFor("child-protection-national")).hasSize(1);
        assertThat(copiesFor("coordinator")).as("IMMEDIATE copy").hasSize(1);
        assertThat(passed("issue-receipt").getReceivedCounter()).isEqualTo(1);
        assertThat(done.getMessage().getBody()).isInstanceOf(Receipt.class);
    }

    @Test
    void aCopyThatCannotBeHandedOverFailsTheReferralAndNoReceiptIsIssued() {
        String xml = freshExample("iom-mission-minor-khatlon");
        String referralId = ReferralExamples.referralId(xml);
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("broker unavailable");
        });

        Exchange done = submit(seal("iom-mission", xml), "iom-mission");

        assertThat(done.getException()).isNotNull();
        // The copies leave side by side, so the others may have been tried too; none counts as handed over.
        assertThat(sentTo(Flow.Endpoints.PROVIDER_QUEUE).getReceivedCounter()).isPositive();
        assertThat(passed("issue-receipt").getReceivedCounter()).isZero();
        assertThat(auditRows(referralId, "DELIVERED")).isZero();
    }

    @Test
    void copiesAreRecordedDeliveredOnlyOnceEveryCopyWasSent() {
        String xml = freshExample("iom-mission-minor-khatlon");
        String referralId = ReferralExamples.referralId(xml);
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenExchangeReceived(2, e -> {
            throw new IllegalStateException("broker unavailable");
        });

        Exchange done = submit(seal("iom-mission", xml), "iom-mission");

        assertThat(done.getException()).isNotNull();
        assertThat(sentTo(Flow.Endpoints.PROVIDER_QUEUE).getReceivedCounter()).as("every queue copy was tried").isGreaterThanOrEqualTo(2);
        assertThat(auditRows(referralId, "DELIVERED")).as("not every copy left: none is recorded delivered yet").isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND state = 'DELIVERED'",
                Integer.class, referralId)).isZero();

        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenExchangeReceived(2, e -> { });
        Exchange retried = submit(seal("iom-mission", xml), "iom-mission");

        assertThat(retried.getException()).isNull();
        int handedOver = jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND channel <> 'WEBHOOK'",
                Integer.class, referralId);
        assertThat(handedOver).isGreaterThan(1);
        assertThat(auditRows(referralId, "DELIVERED")).as("the retry hands every queue and inbox copy over, each once")
                .isEqualTo(handedOver);
    }
}
