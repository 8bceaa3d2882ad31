package org.referralbus.system;

import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.referralbus.core.Flow;
import org.springframework.stereotype.Component;

/**
 * Before the referral flow hands a message to the broker (a provider's copy, a webhook push, a status callback), the
 * commits it made so far are written to the database file ({@link StorageSync#write}). A killed process then never
 * leaves a message on a queue whose rows (the stored copy, the needs it took) are gone: a retry finds and reuses the
 * stored copy, so the provider and the audit trail see the same bytes. Camel notifies in the sending thread, before
 * the send, for route steps and producer templates alike.
 */
@Component
class WriteBeforeSend extends EventNotifierSupport {

    private final StorageSync storage;

    WriteBeforeSend(StorageSync storage) {
        this.storage = storage;
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSendingEvent sending && sending.getEndpoint().getEndpointUri().startsWith("jms:");
    }

    @Override
    public void notify(CamelEvent event) {
        if (!copyAlreadyWritten(((ExchangeSendingEvent) event).getExchange())) {
            storage.write();
        }
    }

    /**
     * A new referral's copy whose rows the flow's {@code force-to-disk} step wrote and forced with all its other copies
     * and the receipt: writing again would add nothing, since its hand-over and those of the copies sent before it are
     * recorded only after the last copy has left ({@code mark-copies-delivered}).
     */
    private static boolean copyAlreadyWritten(Exchange exchange) {
        Map<?, ?> written = exchange.getProperty(Flow.Properties.SEALED_COPIES, Map.class);
        String deliveryId = exchange.getMessage().getHeader(Flow.Headers.DELIVERY_ID, String.class);
        return written != null && deliveryId != null && written.containsKey(deliveryId);
    }
}
