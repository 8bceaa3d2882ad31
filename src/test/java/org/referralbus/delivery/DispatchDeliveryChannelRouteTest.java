package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.routing.Provider.DeliveryChannel;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.ProviderInbox;
import org.springframework.beans.factory.annotation.Autowired;

/** The dispatch-delivery route's channel choice: queue and mark delivered, keep in the inbox, or queue the push. */
class DispatchDeliveryChannelRouteTest extends AdvisedRoutes {

    @Autowired
    DeliveryLedger deliveries;

    @Test
    void queueProviderGetsTheSealedCopyWithOnlyItsLabelsAndItIsMarkedDelivered() {
        Share share = firstShare("iom-mission", "iom-mission-return-reintegration-gbao").on(DeliveryChannel.QUEUE);
        String provider = share.assignment().provider().id();

        assertThat(dispatch(share).getException()).isNull();

        assertThat(copiesFor(provider)).singleElement().satisfies(copy -> {
            Message message = copy.getMessage();
            String deliveryId = message.getHeader(Flow.Headers.DELIVERY_ID, String.class);
            assertThat(message.getHeaders()).containsEntry(Flow.Headers.DUPLICATE_DETECTION_ID, deliveryId)
                    .containsEntry(Flow.Headers.REFERRAL_ID, share.referral().referralId())
                    .containsEntry(Flow.Headers.SERVICES, String.join(",", share.assignment().services().stream().map(ServiceCode::value).toList()))
                    .containsEntry(Flow.Headers.CHANNEL, "QUEUE")
                    .doesNotContainKey(Flow.Headers.TLS_CLIENT);
            assertThat(ProviderInbox.open(provider, message.getBody(byte[].class)).content()).isNotEmpty();
            assertThat(deliveries.find(deliveryId)).hasValueSatisfying(d -> assertThat(d.state()).isEqualTo(DeliveryLedger.State.DELIVERED));
        });
        assertThat(passed("mark-delivered").getReceivedCounter()).isEqualTo(1);
        assertThat(passed("mark-in-inbox").getReceivedCounter()).isZero();
    }

    @Test
    void inboxProviderGetsNoMessageAndTheCopyWaitsInItsInbox() {
        Share share = firstShare("iom-mission", "iom-mission-return-reintegration-gbao").on(DeliveryChannel.INBOX);

        Exchange done = dispatch(share);

        assertThat(done.getException()).isNull();
        assertThat(passed("mark-in-inbox").getReceivedCounter()).isEqualTo(1);
        assertThat(sentTo(Flow.Endpoints.PROVIDER_QUEUE).getReceivedCounter()).isZero();
        assertThat(deliveries.find(done.getMessage().getHeader(Flow.Headers.DELIVERY_ID, String.class)))
                .hasValueSatisfying(d -> assertThat(d.state()).isEqualTo(DeliveryLedger.State.DELIVERED));
    }

    @Test
    void webhookProviderGetsItsCopyQueuedForThePushAndItIsNotDeliveredYet() {
        Share share = firstShare("iom-mission", "iom-mission-return-reintegration-gbao").on(DeliveryChannel.WEBHOOK);

        assertThat(dispatch(share).getException()).isNull();

        assertThat(sentTo(Flow.Endpoints.WEBHOOKS_OUTBOUND).getExchanges()).singleElement().satisfies(copy ->
                assertThat(deliveries.find(copy.getMessage().getHeader(Flow.Headers.DELIVERY_ID, String.class)))
                        .hasValueSatisfying(d -> assertThat(d.state()).isEqualTo(DeliveryLedger.State.SEALED)));
        assertThat(passed("queue-webhook-push").getReceivedCounter()).isEqualTo(1);
        assertThat(passed("mark-delivered").getReceivedCounter()).isZero();
    }
}
