package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.dedupe.Receipt;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.ReferralExamples;

/**
 * The route-and-deliver route: one copy per chosen provider, stored with the receipt and forced to the disk before the
 * first leaves, then sent side by side; a copy that fails fails the referral, and the retry hands it over.
 */
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
    void theReceiptIsStoredBeforeTheFirstCopyLeaves() {
        String xml = freshExample("iom-mission-minor-khatlon");
        String referralId = ReferralExamples.referralId(xml);
        List<Integer> receiptsAtEachSend = new CopyOnWriteArrayList<>();
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenAnyExchangeReceived(e -> receiptsAtEachSend.add(jdbc.queryForObject(
                "SELECT COUNT(*) FROM referral WHERE referral_id = ? AND receipt_json IS NOT NULL", Integer.class, referralId)));

        Exchange done = submit(seal("iom-mission", xml), "iom-mission");

        assertThat(done.getException()).isNull();
        assertThat(receiptsAtEachSend).isNotEmpty().containsOnly(1);
    }

    /**
     * A copy that cannot leave fails the referral, though its receipt is stored: nothing is recorded handed over, and
     * the agency's retry is answered with that receipt once every copy left unsent has been handed over, each once.
     */
    @Test
    void aCopyThatCannotLeaveFailsTheReferralAndTheRetryHandsItOverBeforeTheStoredReceipt() {
        String xml = freshExample("iom-mission-minor-khatlon");
        String referralId = ReferralExamples.referralId(xml);
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenExchangeReceived(2, e -> {
            throw new IllegalStateException("broker unavailable");
        });

        Exchange done = submit(seal("iom-mission", xml), "iom-mission");

        assertThat(done.getException()).isNotNull();
        assertThat(sentTo(Flow.Endpoints.PROVIDER_QUEUE).getReceivedCounter()).as("every queue copy was tried").isGreaterThanOrEqualTo(2);
        assertThat(passed("issue-receipt").getReceivedCounter()).as("stored before the copies left").isEqualTo(1);
        assertThat(auditRows(referralId, "DELIVERED")).as("not every copy left: none is recorded delivered").isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND state <> 'SEALED'",
                Integer.class, referralId)).isZero();
        String stored = new String(jdbc.queryForObject("SELECT receipt_json FROM referral WHERE referral_id = ?", byte[].class, referralId),
                java.nio.charset.StandardCharsets.UTF_8);

        sentTo(Flow.Endpoints.PROVIDER_QUEUE).reset();
        Exchange retried = submit(seal("iom-mission", xml), "iom-mission");

        assertThat(retried.getException()).isNull();
        assertThat(new String(retried.getMessage().getBody(Receipt.class).json(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(stored);
        int handedOver = jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND channel <> 'WEBHOOK'",
                Integer.class, referralId);
        assertThat(handedOver).isGreaterThan(1);
        assertThat(auditRows(referralId, "DELIVERED")).as("the retry hands every queue and inbox copy over, each once")
                .isEqualTo(handedOver);
        assertThat(copiesFor("child-protection-national")).hasSize(1);
    }
}
