package org.referralbus.system;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.referralbus.core.Flow;
import org.referralbus.delivery.DeliveryProperties;
import org.springframework.boot.artemis.autoconfigure.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shapes the embedded Artemis broker: a network acceptor for outside clients, and redelivery with a dead-letter
 * queue so that a message the bus cannot process is retried, then parked, never dropped; a journal synced before
 * every durable send returns. Only sealed CMS envelopes ever enter the broker, so its journal holds nothing readable.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedBrokerConfiguration {

    static final String DEAD_LETTER_ADDRESS = "DLQ";

    @Bean
    ArtemisConfigurationCustomizer referralBusBrokerCustomizer(BrokerProperties broker, DeliveryProperties delivery) {
        return configuration -> {
            try {
                configuration.addAcceptorConfiguration("external",
                        "tcp://" + broker.host() + ":" + broker.port() + "?protocols=CORE,AMQP");
            } catch (Exception e) {
                throw new IllegalStateException("Invalid broker acceptor " + broker.host() + ":" + broker.port(), e);
            }
            AddressSettings retryThenPark = new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_ADDRESS))
                    .setAutoCreateDeadLetterResources(false)
                    .setMaxDeliveryAttempts(5)
                    .setRedeliveryDelay(1_000)
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(60_000);
            configuration.addAddressSetting("referrals.#", retryThenPark);
            configuration.addAddressSetting(Flow.Queues.DELIVERIES_PREFIX + "#", retryThenPark);
            DeliveryProperties.Webhook webhook = delivery.webhook();
            configuration.addAddressSetting(Flow.Queues.WEBHOOKS_OUTBOUND, new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(Flow.Queues.WEBHOOKS_DEAD))
                    .setAutoCreateDeadLetterResources(false)
                    .setMaxDeliveryAttempts(webhook.maxAttempts())
                    .setRedeliveryDelay(webhook.initialDelay().toMillis())
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(webhook.maxDelay().toMillis()));
            configuration.setIDCacheSize(100_000);
            configuration.setPersistIDCache(true);
            // Artemis's defaults, pinned: a durable send (and a transaction's commit) is answered only once the journal
            // is synced to disk, so a delivery the receipt promises cannot vanish with the process or the machine.
            configuration.setJournalSyncNonTransactional(true);
            configuration.setJournalSyncTransactional(true);
        };
    }
}
