package org.referralbus.broker;

import org.apache.camel.builder.RouteBuilder;
import org.referralbus.core.Flow;
import org.springframework.stereotype.Component;

/**
 * One entry route per QUEUE provider's acknowledgement queue ({@code acknowledgements.<id>}, route id
 * {@code acknowledgements-<id>}), feeding the acknowledge-from-queue route of {@code routes/referral-flow.camel.yaml}.
 * The providers come from the registry at start-up, as the broker's queues do, so these routes are Java; the flow
 * itself stays in the route file.
 *
 * <p>The broker lets only that provider send to its queue ({@link BrokerLayout#security()}), so the queue is the
 * sender: every header the message carries is dropped and {@link Flow.Headers#PROVIDER_ID} is set from the queue.
 * Consumption is transacted: the message leaves the queue only when the answer (or its refusal, parked) is done; a
 * crash or an internal failure leaves it there for the broker to redeliver, and answers are idempotent.
 */
@Component
public class AcknowledgementQueueRoutes extends RouteBuilder {

    private final BrokerLayout layout;

    public AcknowledgementQueueRoutes(BrokerLayout layout) {
        this.layout = layout;
    }

    @Override
    public void configure() {
        for (String providerId : layout.queueProviders()) {
            String queue = BrokerLayout.acknowledgementQueue(providerId);
            from("jms:queue:" + queue + "?transacted=true&disableReplyTo=true")
                    .routeId(queue.replace('.', '-'))
                    .removeHeaders("*").id("drop-message-headers-" + providerId)
                    .setHeader(Flow.Headers.PROVIDER_ID, constant(providerId)).id("sender-from-queue-" + providerId)
                    .to(Flow.Endpoints.ACKNOWLEDGE_FROM_QUEUE).id("acknowledge-" + providerId);
        }
    }
}
