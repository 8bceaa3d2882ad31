package org.referralbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.util.Arrays;
import java.util.Collections;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.referralbus.support.LocalMachine;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Browsing reads a queue to its end. The queue holds 800 sealed-copy-sized messages (about 7 MiB, several credit
 * windows), where a browser with Artemis's default window stopped early in about one browse in eight here; each of
 * twenty browses must see every message.
 */
class QueueBrowsingTest {

    private static final int MESSAGES = 800;
    private static EmbeddedActiveMQ broker;
    private static ActiveMQConnectionFactory busFactory;

    @BeforeAll
    static void fillAQueue() throws Exception {
        int port = LocalMachine.freePort();
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        broker = new EmbeddedActiveMQ().setConfiguration(configuration).start();
        busFactory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port + "?reconnectAttempts=2;retryInterval=300;callTimeout=9000");
        try (Connection connection = busFactory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("deliveries.coordinator"));
            for (int i = 0; i < MESSAGES; i++) {
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(new byte[9_000]);
                producer.send(message);
            }
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        busFactory.close();
        broker.stop();
    }

    @Test
    void everyBrowseReadsTheWholeQueue() throws Exception {
        QueueBrowsing browsing = new QueueBrowsing(new CachingConnectionFactory(busFactory));
        try {
            for (int browse = 0; browse < 20; browse++) {
                try (JMSContext context = browsing.createContext();
                     QueueBrowser browser = context.createBrowser(context.createQueue("deliveries.coordinator"))) {
                    assertThat(Collections.list(browser.getEnumeration())).as("browse %d", browse).hasSize(MESSAGES);
                }
            }
        } finally {
            browsing.destroy();
        }
    }

    @Test
    void theBrowsingConnectionsReachTheSameBrokerAsTheBus() {
        ActiveMQConnectionFactory bus = new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:61617?sslEnabled=true;keyStoreType=PEMCFG;keyStorePath=/etc/referral-bus/bus.pemcfg;reconnectAttempts=2;retryInterval=300;callTimeout=9000",
                "bus", "secret");
        ActiveMQConnectionFactory browsing = (ActiveMQConnectionFactory) QueueBrowsing.withoutCreditWindow(new CachingConnectionFactory(bus));

        assertThat(browsing.getConsumerWindowSize()).isZero();
        assertThat(browsing.getStaticConnectors()).extracting(TransportConfiguration::getParams)
                .containsExactlyElementsOf(Arrays.stream(bus.getStaticConnectors()).map(TransportConfiguration::getParams).toList());
        assertThat(browsing.getUser()).isEqualTo("bus");
        assertThat(browsing.getPassword()).isEqualTo("secret");
        assertThat(browsing.getReconnectAttempts()).isEqualTo(2);
        assertThat(browsing.getRetryInterval()).isEqualTo(300);
        assertThat(browsing.getCallTimeout()).isEqualTo(9_000);
        assertThat(bus.getConsumerWindowSize()).as("the bus's own consumers keep their window").isEqualTo(1024 * 1024);
    }
}
