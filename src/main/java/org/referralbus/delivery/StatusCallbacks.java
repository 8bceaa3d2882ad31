package org.referralbus.delivery;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.referralbus.core.Flow;
import org.referralbus.delivery.NeedLedger.NeedState;
import org.referralbus.participants.AgencyRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Queues a status event for the sending agency whenever one of its referral's needs changes state, if the agency
 * registered a {@code callback} in {@code routes/agencies.yaml}. The event holds ids, the service, the state, the
 * provider and the time: nothing from the referral's content. It is queued once the state change is committed (a
 * rolled-back change sends nothing) on the durable {@code callbacks.outbound}, from where {@link StatusCallbackPusher}
 * posts it with the bus's signature, retried and dead-lettered like provider webhooks.
 */
@Component
public class StatusCallbacks {

    private static final Logger log = LoggerFactory.getLogger(StatusCallbacks.class);

    /** The event as the agency receives it (JSON). {@code eventId} lets the receiver drop a redelivered event. */
    record StatusEvent(String eventId, String referralId, String sender, String service, NeedState state, String provider,
                       OffsetDateTime at) {
    }

    private final AgencyRegistry agencies;
    private final ProducerTemplate flow;
    private final JsonMapper json;

    StatusCallbacks(AgencyRegistry agencies, ProducerTemplate flow, JsonMapper json) {
        this.agencies = agencies;
        this.flow = flow;
        this.json = json;
    }

    void changed(String sender, String referralId, String service, String providerId, NeedState state, OffsetDateTime at) {
        if (agencies.callback(sender).isEmpty()) {
            return;
        }
        StatusEvent event = new StatusEvent(UUID.randomUUID().toString(), referralId, sender, service, state, providerId, at);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    queue(event);
                }
            });
        } else {
            queue(event);
        }
    }

    /**
     * A notice of a change already committed: if it cannot be queued (the flow starting or stopping, the broker down),
     * the change stands and the caller goes on; the agency reads the status over HTTPS, where it is complete.
     */
    private void queue(StatusEvent event) {
        try {
            flow.sendBody(Flow.Endpoints.CALLBACKS_OUTBOUND, json.writeValueAsBytes(event));
        } catch (RuntimeException e) {
            log.warn("Status event {} for referral {} ({} {}) could not be queued for agency {}: {}", event.eventId(),
                    event.referralId(), event.service(), event.state(), event.sender(), e.getClass().getSimpleName());
        }
    }
}
