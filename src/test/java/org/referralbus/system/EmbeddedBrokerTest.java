package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.junit.jupiter.api.Test;
import org.referralbus.support.BrokerClients;
import org.referralbus.support.RunningBus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The embedded broker accepts outside CORE and AMQP clients over TLS only on referral-bus.broker.port, and a delivery
 * sent to it is on disk before the send returns. Refusals are in {@code BrokerSecurityEndToEndTest}.
 */
class EmbeddedBrokerTest extends RunningBus {

    @Autowired
    EmbeddedActiveMQ broker;

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    CamelContext camel;

    /** The receipt is issued after the sends return: each must be persistent, blocking and journal-synced. */
    @Test
    void durableSendsReturnOnlyOnceTheJournalIsSynced() {
        Configuration configuration = broker.getActiveMQServer().getConfiguration();
        assertThat(configuration.isPersistenceEnabled()).isTrue();
        assertThat(configuration.isJournalSyncNonTransactional()).isTrue();
        assertThat(configuration.isJournalSyncTransactional()).isTrue();
        assertThat(configuration.getJournalBufferTimeout_NIO()).as("referral-bus.broker.journal-buffer-timeout's default, 1ms")
                .isEqualTo(1_000_000);
        assertThat(configuration.getJournalBufferTimeout_AIO()).isEqualTo(1_000_000);
        ConnectionFactory target = connectionFactory instanceof CachingConnectionFactory caching
                ? caching.getTargetConnectionFactory() : connectionFactory;
        assertThat(((ActiveMQConnectionFactory) target).isBlockOnDurableSend()).isTrue();
        assertThat(camel.getComponent("jms", JmsComponent.class).getConfiguration().isDeliveryPersistent()).isTrue();
    }

    /** A QUEUE provider connects over TLS with its certificate and receives what the bus put on its queue. */
    @Test
    void providerReceivesFromItsOwnQueueOverTls() throws Exception {
        String marker = java.util.UUID.randomUUID().toString();
        org.springframework.jms.core.JmsTemplate bus = new org.springframework.jms.core.JmsTemplate(connectionFactory);
        bus.send("deliveries.shelter-dushanbe", session -> {
            TextMessage message = session.createTextMessage("sealed copy");
            message.setStringProperty("probe", marker);
            return message;
        });
        try (ActiveMQConnectionFactory factory = BrokerClients.as(BROKER_PORT, "providers", "shelter-dushanbe");
             Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("deliveries.shelter-dushanbe"), "probe = '" + marker + "'");
            assertThat(((TextMessage) consumer.receive(15_000)).getText()).isEqualTo("sealed copy");
        }
    }

    @Autowired
    org.springframework.boot.artemis.autoconfigure.ArtemisConfigurationCustomizer referralBusBrokerCustomizer;

    /** Shaping the broker lets its paging lines through the WARN level (broker/QueuePagingTest shows the lines). */
    @Test
    void shapingTheBrokerLetsItsPagingLinesBeLogged() {
        ch.qos.logback.classic.LoggerContext logging = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        logging.getTurboFilterList().removeIf(org.referralbus.broker.PagingLogFilter.class::isInstance);

        referralBusBrokerCustomizer.customize(new org.apache.activemq.artemis.core.config.impl.ConfigurationImpl());

        assertThat(logging.getTurboFilterList()).filteredOn(org.referralbus.broker.PagingLogFilter.class::isInstance).hasSize(1);
    }

    @Test
    void theAcceptorSpeaksTlsOnlyForCoreAndAmqp() {
        assertThat(broker.getActiveMQServer().getConfiguration().getAcceptorConfigurations())
                .filteredOn(acceptor -> acceptor.getFactoryClassName().contains("Netty")).singleElement()
                .satisfies(acceptor -> {
                    assertThat(acceptor.getParams()).containsEntry("sslEnabled", "true").containsEntry("needClientAuth", "true")
                            .containsEntry("protocols", "CORE,AMQP").containsEntry("sslAutoReload", "true");
                });
        assertThat(broker.getActiveMQServer().getConfiguration().isSecurityEnabled()).isTrue();
    }
}
