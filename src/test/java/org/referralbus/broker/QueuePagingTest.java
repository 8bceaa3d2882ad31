package org.referralbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.LocalMachine;
import org.referralbus.support.LogCapture;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * A queue keeps only {@code referral-bus.broker.memory-per-queue} of its messages in memory and the rest on disk
 * (Artemis paging), and loses nothing by it: a browse still sees every message, a consumer gets them all in order, and
 * the redelivery and dead-letter settings of the bus's matches still apply. A durable broker with the bus's layout and a
 * 64 KB bound, filled with 300 sealed-copy-sized messages (about 2.6 MiB).
 */
class QueuePagingTest {

    private static final int MESSAGES = 300;
    private static final long BOUND = 64 * 1024;
    private static final String QUEUE = "deliveries.shelter-dushanbe";

    @TempDir
    Path data;

    private EmbeddedActiveMQ broker;
    private ActiveMQConnectionFactory factory;

    @BeforeEach
    void startABrokerWithTheBussLayout() throws Exception {
        int port = LocalMachine.freePort();
        BrokerLayout layout = new BrokerLayout(List.of("shelter-dushanbe"),
                new BrokerLayout.Redelivery("webhooks.dead", 6, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(10)));
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(true);
        configuration.setJournalDirectory(data.resolve("journal").toString());
        configuration.setBindingsDirectory(data.resolve("bindings").toString());
        configuration.setPagingDirectory(data.resolve("paging").toString());
        configuration.setLargeMessagesDirectory(data.resolve("large").toString());
        configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        EmbeddedBrokerLayout.apply(layout, BOUND, configuration);
        configuration.setSecurityEnabled(false); // certificate login is BrokerSecurityEndToEndTest's; this is about memory
        broker = new EmbeddedActiveMQ().setConfiguration(configuration).start();
        factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
    }

    /** The queue's own count of the bytes of its messages in memory (Artemis keeps it package-private). */
    private long readBack() throws Exception {
        java.lang.reflect.Field size = org.apache.activemq.artemis.core.server.impl.QueueImpl.class.getDeclaredField("queueMemorySize");
        size.setAccessible(true);
        return ((org.apache.activemq.artemis.utils.SizeAwareMetric) size.get(broker.getActiveMQServer().locateQueue(QUEUE))).getSize();
    }

    @AfterEach
    void stopBroker() throws Exception {
        factory.close();
        broker.stop();
    }

    /**
     * A queue that starts paging was said nowhere: Artemis logs it at INFO (AMQ222038), and the bus holds that logger at
     * WARN (application.yaml) against its start-up chatter. Now one line names the address when paging starts, and one
     * when it stops; the logger's other INFO lines stay unsaid.
     */
    @Test
    void aQueueThatStartsAndStopsPagingIsLoggedByItsAddressAlone() throws Exception {
        Logger server = (Logger) LoggerFactory.getLogger(PagingLogFilter.SERVER_LOGGER);
        Level level = server.getLevel();
        server.setLevel(Level.WARN); // as application.yaml sets it
        PagingLogFilter.install();
        try (LogCapture log = LogCapture.start()) {
            server.info("AMQ221000: {} message broker is starting", "live"); // the chatter the level is there against
            try (Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                sendBeyondTheBound(session);
                connection.start();
                MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
                for (Message message = consumer.receive(10_000); message != null; message = consumer.receive(2_000)) {
                    // drained, so that paging stops
                }
            }

            assertThat(log.lines("Starting paging on address '" + QUEUE + "'")).as("the start, by address").hasSize(1);
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(log.lines("Stopped paging on address '" + QUEUE + "'")).as("and the end").hasSize(1));
            assertThat(log.events()).filteredOn(event -> event.getLoggerName().equals(PagingLogFilter.SERVER_LOGGER))
                    .allSatisfy(event -> assertThat(event.getMessage()).matches("AMQ(222038|224108): .*"));
        } finally {
            server.setLevel(level);
        }
    }

    @Test
    void everyAddressIsBoundAndTheBussOwnSettingsStillApply() {
        ActiveMQServer server = broker.getActiveMQServer();
        // The parking queues too: dead-letters finds and moves a message wherever it waits (DeadLettersOnDiskTest).
        for (String address : List.of(QUEUE, "referrals.intake", "acknowledgements.shelter-dushanbe", "webhooks.outbound",
                BrokerLayout.DEAD_LETTER_ADDRESS, "referrals.intake.rejected")) {
            AddressSettings settings = server.getAddressSettingsRepository().getMatch(address);
            assertThat(settings.getMaxSizeBytes()).as(address).isEqualTo(BOUND);
            assertThat(settings.getAddressFullMessagePolicy()).as(address).isEqualTo(AddressFullMessagePolicy.PAGE);
            assertThat(settings.getMaxReadPageBytes()).as(address + ": read back ahead of consumers").isEqualTo((int) BOUND);
            assertThat(settings.getPageSizeBytes()).as(address + ": the page in memory while written").isEqualTo((int) BOUND / 4);
        }
        AddressSettings deliveries = server.getAddressSettingsRepository().getMatch(QUEUE);
        assertThat(deliveries.getDeadLetterAddress().toString()).isEqualTo(BrokerLayout.DEAD_LETTER_ADDRESS);
        assertThat(deliveries.getMaxDeliveryAttempts()).isEqualTo(5);
        assertThat(server.getAddressSettingsRepository().getMatch("webhooks.outbound").getMaxDeliveryAttempts()).isEqualTo(6);
    }

    @Test
    void aQueueBeyondItsBoundWaitsOnDiskAndLosesNothing() throws Exception {
        try (Connection connection = factory.createConnection()) {
            sendBeyondTheBound(connection.createSession(false, Session.AUTO_ACKNOWLEDGE));
        }
        var store = broker.getActiveMQServer().getPagingManager().getPageStore(SimpleString.of(QUEUE));
        assertThat(store.isPaging()).as("the queue pages beyond 64 KB").isTrue();
        assertThat(store.getAddressSize()).as("bytes held in memory before paging").isLessThan(4 * BOUND);
        // What the queue read back from its page files (Artemis's max-read-page-bytes: 20 MB, all 2.6 MB here, unless set).
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(readBack()).as("bytes read back into memory").isLessThan(4 * BOUND));
        try (java.util.stream.Stream<Path> files = Files.walk(data.resolve("paging"))) {
            assertThat(files.filter(file -> file.toString().endsWith(".page"))).as("page files written").isNotEmpty();
        }

        QueueBrowsing browsing = new QueueBrowsing(new CachingConnectionFactory(factory));
        try (JMSContext context = browsing.createContext();
             QueueBrowser browser = context.createBrowser(context.createQueue(QUEUE))) {
            assertThat(Collections.list(browser.getEnumeration())).as("a browse sees the paged messages").hasSize(MESSAGES);
        } finally {
            browsing.destroy();
        }

        List<Integer> received = new ArrayList<>();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
            for (Message message = consumer.receive(10_000); message != null; message = consumer.receive(2_000)) {
                received.add(message.getIntProperty("n"));
            }
        }
        assertThat(received).as("every message, in the order sent").hasSize(MESSAGES).isSorted();
        assertThat(broker.getActiveMQServer().locateQueue(QUEUE).getMessageCount()).isZero();
    }

    /** {@link #MESSAGES} numbered messages of 9 KB on {@link #QUEUE}: far more than its bound keeps in memory. */
    private static void sendBeyondTheBound(Session session) throws jakarta.jms.JMSException {
        MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
        for (int i = 0; i < MESSAGES; i++) {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(new byte[9_000]);
            message.setIntProperty("n", i);
            producer.send(message);
        }
    }
}
