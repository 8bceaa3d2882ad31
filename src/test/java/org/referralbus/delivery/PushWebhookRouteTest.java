package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.routing.Provider.DeliveryChannel;
import org.referralbus.support.AdvisedRoutes;
import org.springframework.beans.factory.annotation.Autowired;

/** The push-webhook route: a copy the provider's endpoint took is marked pushed; a failed push leaves it to the broker. */
class PushWebhookRouteTest extends AdvisedRoutes {

    @Autowired
    DeliveryLedger deliveries;

    @Test
    void copyTheProviderTookIsMarkedDelivered() {
        Exchange queued = queuedPush();
        String deliveryId = queued.getMessage().getHeader(Flow.Headers.DELIVERY_ID, String.class);

        Exchange pushed = template.send(PUSH_WEBHOOK, asFromTheBroker(queued));

        assertThat(pushed.getException()).isNull();
        MockEndpoint provider = camel.getEndpoint(PROVIDER_WEBHOOK, MockEndpoint.class);
        assertThat(provider.getExchanges()).singleElement()
                .satisfies(e -> assertThat(e.getMessage().getHeader(Flow.Headers.DELIVERY_ID)).isEqualTo(deliveryId));
        assertThat(passed("mark-pushed").getReceivedCounter()).isEqualTo(1);
        assertThat(deliveries.find(deliveryId)).hasValueSatisfying(d -> assertThat(d.state()).isEqualTo(DeliveryLedger.State.DELIVERED));
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_event WHERE event_type = 'DELIVERED' AND detail LIKE ?",
                String.class, "delivery:" + deliveryId + "%")).endsWith("channel:WEBHOOK");
    }

    @Test
    void failedPushIsNotMarkedSoTheBrokerRedeliversIt() {
        Exchange queued = queuedPush();
        camel.getEndpoint(PROVIDER_WEBHOOK, MockEndpoint.class).whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("provider answered 503");
        });

        Exchange pushed = template.send(PUSH_WEBHOOK, asFromTheBroker(queued));

        assertThat(pushed.getException()).isNotNull();
        assertThat(passed("mark-pushed").getReceivedCounter()).isZero();
        assertThat(deliveries.find(queued.getMessage().getHeader(Flow.Headers.DELIVERY_ID, String.class)))
                .hasValueSatisfying(d -> assertThat(d.state()).isEqualTo(DeliveryLedger.State.SEALED));
    }

    /** Only what travels through the broker: the sealed bytes and their labels. */
    private static org.apache.camel.Processor asFromTheBroker(Exchange queued) {
        return exchange -> {
            exchange.getIn().setHeaders(new java.util.HashMap<>(queued.getMessage().getHeaders()));
            exchange.getIn().setBody(queued.getMessage().getBody(byte[].class));
        };
    }

    /** A copy for a WEBHOOK provider as dispatch-delivery put it on webhooks.outbound. */
    private Exchange queuedPush() {
        assertThat(dispatch(firstShare("iom-mission", "iom-mission-return-reintegration-gbao").on(DeliveryChannel.WEBHOOK))
                .getException()).isNull();
        Exchange queued = sentTo(Flow.Endpoints.WEBHOOKS_OUTBOUND).getExchanges().get(0);
        MockEndpoint.resetMocks(camel);
        return queued;
    }
}
