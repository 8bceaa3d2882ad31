package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.delivery.NeedLedger.NeedState;
import org.referralbus.participants.AgencyRegistry;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * A status event is a notice of a change already committed: when it cannot be queued (here the flow refuses, as in
 * the second after a start), the change's caller goes on, so a provider's committed answer is not turned into a 500.
 */
class StatusCallbacksTest {

    private final AgencyRegistry agencies = mock(AgencyRegistry.class);
    private final ProducerTemplate flow = mock(ProducerTemplate.class);
    private final StatusCallbacks callbacks = new StatusCallbacks(agencies, flow, JsonMapper.builder().build());

    @AfterEach
    void clearSynchronization() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }

    @Test
    void anEventThatCannotBeQueuedAfterTheCommitDoesNotFailTheCaller() {
        when(agencies.callback("border-service")).thenReturn(Optional.of(URI.create("https://cases.border.example.tj/events")));
        doThrow(new RejectedExecutionException("CamelContext is stopped")).when(flow).sendBody(anyString(), any());
        TransactionSynchronizationManager.initSynchronization();

        callbacks.changed("border-service", "r-1", "SHELTER", "shelter-dushanbe", NeedState.DECLINED, OffsetDateTime.now());

        assertThatCode(() -> TransactionSynchronizationManager.getSynchronizations().forEach(TransactionSynchronization::afterCommit))
                .doesNotThrowAnyException();
        verify(flow).sendBody(eq(Flow.Endpoints.CALLBACKS_OUTBOUND), any());
    }

    @Test
    void outsideATransactionTooTheCallerGoesOn() {
        when(agencies.callback("border-service")).thenReturn(Optional.of(URI.create("https://cases.border.example.tj/events")));
        doThrow(new IllegalStateException("broker down")).when(flow).sendBody(anyString(), any());

        assertThatCode(() -> callbacks.changed("border-service", "r-1", "SHELTER", "shelter-dushanbe", NeedState.ROUTED,
                OffsetDateTime.now())).doesNotThrowAnyException();
    }
}
