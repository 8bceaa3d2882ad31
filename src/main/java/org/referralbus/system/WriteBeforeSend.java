package org.referralbus.system;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.support.EventNotifierSupport;
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
        storage.write();
    }
}
