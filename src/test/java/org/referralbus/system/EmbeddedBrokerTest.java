package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.junit.jupiter.api.Test;
import org.referralbus.support.RunningBus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The embedded broker accepts outside CORE and AMQP clients on referral-bus.broker.port, and a delivery sent to it
 * is on disk before the send returns.
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
        ConnectionFactory target = connectionFactory instanceof CachingConnectionFactory caching
                ? caching.getTargetConnectionFactory() : connectionFactory;
        assertThat(((ActiveMQConnectionFactory) target).isBlockOnDurableSend()).isTrue();
        assertThat(camel.getComponent("jms", JmsComponent.class).getConfiguration().isDeliveryPersistent()).isTrue();
    }

    @Test
    void outsideCoreClientCanUseDurableQueues() throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + BROKER_PORT);
             Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var queue = session.createQueue("broker-test.echo");
            session.createProducer(queue).send(session.createTextMessage("ping"));
            MessageConsumer consumer = session.createConsumer(queue);
            assertThat(((TextMessage) consumer.receive(5_000)).getText()).isEqualTo("ping");
        }
    }

    @Test
    void acceptorSpeaksAmqp10() throws Exception {
        byte[] amqpHeader = {'A', 'M', 'Q', 'P', 0, 1, 0, 0};
        byte[] saslHeader = {'A', 'M', 'Q', 'P', 3, 1, 0, 0};
        try (Socket socket = new Socket("127.0.0.1", BROKER_PORT)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(saslHeader);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(8);
            // An AMQP 1.0 peer answers the protocol header with its own (SASL layer first, or plain AMQP).
            assertThat(new String(answer, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("AMQP");
            assertThat(answer[5]).isEqualTo((byte) 1);
            assertThat(answer).isIn(saslHeader, amqpHeader);
        }
    }
}
