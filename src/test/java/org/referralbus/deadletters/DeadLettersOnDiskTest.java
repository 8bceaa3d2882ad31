package org.referralbus.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.TemporaryQueue;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.deployers.impl.FileConfigurationParser;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.referralbus.broker.BrokerLayout;
import org.referralbus.broker.BrokerSecurityManager;
import org.referralbus.broker.EmbeddedBrokerLayout;
import org.referralbus.broker.ParkedMessageMover;
import org.referralbus.broker.QueueBrowsing;
import org.referralbus.broker.StandaloneBrokerFiles;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.support.SampleKeys;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * A dead letter is found wherever it waits: the broker keeps a queue's first {@code memory-per-queue} in memory and
 * the rest on disk, and {@code list}, {@code show} and {@code redeliver} must reach a message parked behind more than
 * Artemis reads back of a queue by default (20 MB). The bus's layout and login (the bus in-VM, with its own rights
 * only) and a 64 KB bound; the big test parks 300 provider copies of about 90 KB (27 MB, below Artemis's
 * large-message size, so they page as they are) that the broker dead-lettered from their provider's queue. The
 * management rights are checked on the standalone broker's written configuration too.
 */
class DeadLettersOnDiskTest {

    private static final int PARKED = 300;
    private static final int BODY_BYTES = 90_000;
    private static final String ORIGIN = "deliveries.shelter-dushanbe";
    private static final AtomicInteger BROKERS = new AtomicInteger();
    private static final long BOUND = 64 * 1024;
    private static final BrokerLayout LAYOUT = new BrokerLayout(List.of("shelter-dushanbe"),
            new BrokerLayout.Redelivery(Flow.Queues.WEBHOOKS_DEAD, 6, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(10)));

    @TempDir
    Path data;

    private EmbeddedActiveMQ broker;
    private ActiveMQConnectionFactory factory;
    private CountingBrowsing browsing;
    private ParkedMessageMover mover;
    private DeadLetterQueues deadLetters;

    /** The bus's broker either way: the embedded layout, or the standalone broker.xml that broker-config writes. */
    enum Broker {
        EMBEDDED, STANDALONE;

        Configuration configuration(Path files) throws Exception {
            if (this == EMBEDDED) {
                ConfigurationImpl configuration = new ConfigurationImpl();
                EmbeddedBrokerLayout.apply(LAYOUT, BOUND, configuration);
                return configuration;
            }
            new StandaloneBrokerFiles(LAYOUT, 1_000_000, BOUND).write(files, new StandaloneBrokerFiles.Acceptor("127.0.0.1", 61616,
                    Path.of("tls.crt"), Path.of("tls.key"), Path.of("ca.crt")), Map.of(), Map.of(), SampleKeys.busCertificate());
            Configuration configuration;
            try (InputStream xml = Files.newInputStream(files.resolve("broker.xml"))) {
                configuration = new FileConfigurationParser().parseMainConfig(xml);
            }
            configuration.getAcceptorConfigurations().clear(); // its TLS acceptor; certificate login is StandaloneArtemisTest's
            return configuration;
        }
    }

    private void start(Broker kind) throws Exception {
        String inVm = "vm://" + (1000 + BROKERS.incrementAndGet());
        Configuration configuration = kind.configuration(data.resolve("etc"));
        configuration.setPersistenceEnabled(true);
        configuration.setJournalDirectory(data.resolve("journal").toString());
        configuration.setBindingsDirectory(data.resolve("bindings").toString());
        configuration.setPagingDirectory(data.resolve("paging").toString());
        configuration.setLargeMessagesDirectory(data.resolve("large").toString());
        configuration.addAcceptorConfiguration("in-vm", inVm);
        // In-VM is the bus, with the bus's role (the role cert-roles.properties gives the bus's certificate on a
        // standalone broker); nobody else connects here, so no participant is ever looked up.
        broker = new EmbeddedActiveMQ().setConfiguration(configuration).setSecurityManager(new BrokerSecurityManager(null)).start();
        factory = new ActiveMQConnectionFactory(inVm);
        CachingConnectionFactory connections = new CachingConnectionFactory(factory);
        browsing = new CountingBrowsing(connections);
        mover = new ParkedMessageMover(connections);
        deadLetters = new DeadLetterQueues(browsing, mover, RedeliveryReach.forMemoryPerQueue(BOUND));
    }

    /** The bus's browsing, counting the browses it opens: what a redelivery costs is counted, not timed. */
    private static final class CountingBrowsing extends QueueBrowsing {

        final AtomicInteger browses = new AtomicInteger();

        CountingBrowsing(ConnectionFactory connections) {
            super(connections);
        }

        @Override
        public JMSContext createContext() {
            JMSContext context = super.createContext();
            return (JMSContext) Proxy.newProxyInstance(JMSContext.class.getClassLoader(), new Class<?>[] {JMSContext.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("createBrowser")) {
                            browses.incrementAndGet();
                        }
                        try {
                            return method.invoke(context, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    private void parkProviderCopiesBeyondWhatIsReadBack() throws Exception {
        park(PARKED);
    }

    private void park(int count) throws Exception {
        try (JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            JMSProducer producer = context.createProducer();
            for (int i = 0; i < count; i++) {
                BytesMessage copy = context.createBytesMessage();
                copy.writeBytes(new byte[BODY_BYTES]);
                copy.setStringProperty(Flow.Headers.DUPLICATE_DETECTION_ID, "delivery-" + i);
                copy.setStringProperty(Flow.Headers.DELIVERY_ID, "delivery-" + i);
                copy.setStringProperty(Flow.Headers.REFERRAL_ID, "referral-" + i);
                producer.send(context.createQueue(ORIGIN), copy);
            }
            context.commit();
        }
        // What the broker does after the provider's client rolled back five times, here for all of them at once.
        ActiveMQServer server = broker.getActiveMQServer();
        assertThat(server.locateQueue(ORIGIN).sendMessagesToDeadLetterAddress(null)).isEqualTo(count);
        assertThat(server.getPagingManager().getPageStore(SimpleString.of(Flow.Queues.DEAD_LETTERS)).isPaging())
                .as("DLQ pages to disk beyond its 64 KB").isTrue();
        // The broker's page transaction completes after its storage callback, so the paged copies become browsable a
        // moment after the move returns (one run in three listed only the first).
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.list().size() == count);
    }

    @AfterEach
    void stopBroker() throws Exception {
        if (broker != null) {
            browsing.destroy();
            factory.close();
            broker.stop();
        }
    }

    /** The broker's move reaches the last of them; the bus allows such a walk only within its reach (the next test). */
    @Test
    void theLastOfMoreThanTwentyMegabytesOfDeadLettersIsListedShownAndRedeliveredOnce() throws Exception {
        start(Broker.EMBEDDED);
        deadLetters = new DeadLetterQueues(browsing, mover, new RedeliveryReach(Long.MAX_VALUE));
        parkProviderCopiesBeyondWhatIsReadBack();
        List<DeadLetter> parked = deadLetters.list();
        assertThat(parked).as("every parked copy is listed").hasSize(PARKED);
        DeadLetter last = parked.get(PARKED - 1);
        assertThat(last.deliveryId()).isEqualTo("delivery-" + (PARKED - 1));
        assertThat(last.origin()).isEqualTo(ORIGIN);
        assertThat(deadLetters.show(last.id())).as("shown by its id").get()
                .satisfies(shown -> assertThat(shown.bodyBytes()).isEqualTo(BODY_BYTES));

        assertThat(deadLetters.redeliver(last.id())).as("redelivered by its id").get()
                .satisfies(moved -> assertThat(moved.deliveryId()).isEqualTo(last.deliveryId()))
                .satisfies(moved -> assertThat(moved.bodyBytes()).as("metadata only, as listed").isEqualTo(-1));

        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             JMSConsumer provider = context.createConsumer(context.createQueue(ORIGIN))) {
            Message copy = provider.receive(5_000);
            assertThat(copy).as("back on its provider's queue, though the broker has seen its duplicate-detection id").isNotNull();
            assertThat(copy.getStringProperty(Flow.Headers.DELIVERY_ID)).isEqualTo(last.deliveryId());
            assertThat(copy.getStringProperty(Flow.Headers.REFERRAL_ID)).isEqualTo(last.referralId());
            assertThat(copy.getBody(byte[].class)).hasSize(BODY_BYTES);
            assertThat(provider.receive(500)).as("once").isNull();
        }
        List<DeadLetter> left = deadLetters.list();
        assertThat(left).as("the others are still parked").hasSize(PARKED - 1).extracting(DeadLetter::id).doesNotContain(last.id());
        assertThat(left).extracting(DeadLetter::id).containsExactlyElementsOf(parked.subList(0, PARKED - 1).stream().map(DeadLetter::id).toList());
        assertThat(deadLetters.show(last.id())).as("gone from DLQ").isEmpty();
        assertThat(deadLetters.redeliver(last.id())).as("not moved twice").isEmpty();
    }

    /**
     * The broker's move keeps what it walked past in memory: with the 64 KB bound the bus lets it walk past 256 KB,
     * two copies of 90 KB (and 1 KB each) but not three. A dead letter behind more is refused and nothing moves;
     * {@code --all} walks past none and moves them all, oldest first, with one browse per parking queue.
     */
    @Test
    void aDeadLetterBehindMoreThanTheBusLetsTheBrokerWalkPastIsRefusedAndNothingMoves() throws Exception {
        int parkedHere = 40; // 3.6 MB, on disk behind the 64 KB bound
        start(Broker.EMBEDDED);
        park(parkedHere);
        List<String> parked = deadLetters.list().stream().map(DeadLetter::id).toList();
        assertThat(parked).hasSize(parkedHere);

        assertThatThrownBy(() -> deadLetters.redeliver(parked.get(parkedHere - 1)))
                .isInstanceOfSatisfying(ReferralBusException.class, refused -> assertThat(refused.errorCode())
                        .isEqualTo(ErrorCode.REDELIVERY_TOO_DEEP))
                .hasMessageContaining("39 older messages (3.4 MB) wait ahead of this dead letter in DLQ")
                .hasMessageContaining("(256 KB, as it keeps what it walked past in memory); nothing was moved")
                .hasMessageContaining("'admin dead-letters redeliver --all', or redeliver the older ones first");
        assertThatThrownBy(() -> deadLetters.redeliver(parked.get(3))).as("three ahead: 273 KB")
                .isInstanceOfSatisfying(ReferralBusException.class, refused -> assertThat(refused.errorCode())
                        .isEqualTo(ErrorCode.REDELIVERY_TOO_DEEP))
                .hasMessageContaining("3 older messages (267 KB)");
        assertThat(deadLetters.list()).extracting(DeadLetter::id).as("all still parked, in order").containsExactlyElementsOf(parked);
        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             JMSConsumer provider = context.createConsumer(context.createQueue(ORIGIN))) {
            assertThat(provider.receive(500)).as("nothing moved").isNull();
        }

        assertThat(deadLetters.redeliver(parked.get(2))).as("two ahead: 182 KB").isPresent();
        browsing.browses.set(0);
        Redelivery all = deadLetters.redeliverAll();
        assertThat(all.redelivered()).extracting(DeadLetter::id).as("--all, oldest first")
                .containsExactlyElementsOf(parked.stream().filter(id -> !id.equals(parked.get(2))).toList());
        assertThat(all.notRedelivered()).isEmpty();
        assertThat(browsing.browses).as("one browse per parking queue, not one per message").hasValue(BrokerLayout.PARKING_QUEUES.size());
        assertThat(deadLetters.list()).isEmpty();
        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             JMSConsumer provider = context.createConsumer(context.createQueue(ORIGIN))) {
            for (int i = 0; i < parkedHere; i++) {
                Message copy = provider.receive(5_000);
                assertThat(copy).as("copy " + i).isNotNull();
            }
            assertThat(provider.receive(500)).as("each once").isNull();
        }
    }

    /**
     * {@code --all} refuses one message and moves the others: what it refuses stays parked ahead of the rest, and once
     * that is more than the broker may walk past, the ones behind are refused {@code redelivery_too_deep} too, still
     * without a second browse. Three copies of 90 KB that name no origin (refused): the copy behind two of them goes,
     * the one behind all three (273 KB) does not; the rejected intake envelope on the other parking queue goes.
     */
    @Test
    void redeliverAllMovesTheOthersPastARefusedOneAndRefusesWhatItLeftTooDeep() throws Exception {
        start(Broker.EMBEDDED);
        List<String> ids = new ArrayList<>();
        try (JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            for (String origin : new String[] {null, null, ORIGIN, null, ORIGIN}) {
                BytesMessage message = context.createBytesMessage();
                message.writeBytes(new byte[origin == null ? BODY_BYTES : 16]);
                if (origin != null) {
                    message.setStringProperty("_AMQ_ORIG_QUEUE", origin); // as the broker labels what it parks
                }
                context.createProducer().send(context.createQueue(Flow.Queues.DEAD_LETTERS), message);
                ids.add(message.getJMSMessageID().replaceFirst("^ID:", ""));
            }
            BytesMessage envelope = context.createBytesMessage();
            envelope.writeBytes("sealed envelope".getBytes(StandardCharsets.UTF_8));
            envelope.setStringProperty(Flow.Headers.ERROR_CODE, "envelope_malformed");
            context.createProducer().send(context.createQueue(Flow.Queues.REFERRALS_INTAKE_REJECTED), envelope);
            ids.add(envelope.getJMSMessageID().replaceFirst("^ID:", ""));
            context.commit();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.list().size() == ids.size());
        browsing.browses.set(0);

        Redelivery all = deadLetters.redeliverAll();

        assertThat(all.redelivered()).extracting(DeadLetter::id).containsExactly(ids.get(2), ids.get(5));
        assertThat(all.notRedelivered()).extracting(left -> left.deadLetter().id() + " " + left.code())
                .containsExactly(ids.get(0) + " invalid_request", ids.get(1) + " invalid_request", ids.get(3) + " invalid_request",
                        ids.get(4) + " redelivery_too_deep");
        assertThat(all.notRedelivered().get(3).detail()).contains("3 older messages (267 KB) wait ahead of this dead letter in DLQ");
        assertThat(all.gone()).isZero();
        assertThat(all.notTried()).isZero();
        assertThat(browsing.browses).hasValue(BrokerLayout.PARKING_QUEUES.size());
        assertThat(deadLetters.list()).extracting(DeadLetter::id).as("the refused, still parked in order")
                .containsExactly(ids.get(0), ids.get(1), ids.get(3), ids.get(4));
    }

    /**
     * {@code --all} says what happened to each message it listed: one another admin moved meanwhile is counted as gone,
     * and a failure of the broker stops the run, the failed one named and the rest left parked, counted as not tried.
     */
    @Test
    void redeliverAllCountsWhatWentMeanwhileAndStopsAtAFailureOfTheBroker() throws Exception {
        start(Broker.EMBEDDED);
        List<String> ids = new ArrayList<>();
        try (JMSContext context = factory.createContext(JMSContext.SESSION_TRANSACTED)) {
            for (int i = 0; i < 4; i++) {
                BytesMessage copy = context.createBytesMessage();
                copy.writeBytes(new byte[16]);
                copy.setStringProperty("_AMQ_ORIG_QUEUE", ORIGIN);
                context.createProducer().send(context.createQueue(Flow.Queues.DEAD_LETTERS), copy);
                ids.add(copy.getJMSMessageID().replaceFirst("^ID:", ""));
            }
            context.commit();
        }
        AtomicInteger moves = new AtomicInteger();
        ParkedMessageMover meanwhile = new ParkedMessageMover(factory) {
            @Override
            public int move(String parkingQueue, String filter, String target, int limit) {
                return switch (moves.incrementAndGet()) {
                    case 2 -> {
                        super.move(parkingQueue, filter, target, limit); // another admin was first
                        yield super.move(parkingQueue, filter, target, limit);
                    }
                    case 3 -> throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "The broker did not answer a move from DLQ in time");
                    default -> super.move(parkingQueue, filter, target, limit);
                };
            }
        };
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.list().size() == ids.size());

        Redelivery all = new DeadLetterQueues(browsing, meanwhile, RedeliveryReach.forMemoryPerQueue(BOUND)).redeliverAll();

        assertThat(all.redelivered()).extracting(DeadLetter::id).containsExactly(ids.get(0));
        assertThat(all.gone()).isEqualTo(1);
        assertThat(all.notRedelivered()).singleElement().satisfies(failed -> {
            assertThat(failed.deadLetter().id()).isEqualTo(ids.get(2));
            assertThat(failed.code()).isEqualTo("internal_error");
            assertThat(failed.detail()).as("a failure of the bus is not explained to the caller").isNull();
        });
        assertThat(all.notTried()).isEqualTo(1);
        assertThat(deadLetters.list()).extracting(DeadLetter::id).as("still parked").containsExactly(ids.get(2), ids.get(3));
    }

    @ParameterizedTest
    @EnumSource(Broker.class)
    void aRejectedIntakeEnvelopeGoesBackToTheIntake(Broker kind) throws Exception {
        start(kind);
        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            BytesMessage envelope = context.createBytesMessage();
            envelope.writeBytes("sealed envelope".getBytes(StandardCharsets.UTF_8));
            envelope.setStringProperty(Flow.Headers.ERROR_CODE, "envelope_malformed");
            context.createProducer().send(context.createQueue(Flow.Queues.REFERRALS_INTAKE_REJECTED), envelope);
        }
        DeadLetter rejected = deadLetters.list().get(0);
        assertThat(rejected.reason()).isEqualTo("rejected:envelope_malformed");

        assertThat(deadLetters.redeliver(rejected.id())).get().extracting(DeadLetter::origin).isEqualTo(Flow.Queues.REFERRALS_INTAKE);

        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE);
             JMSConsumer intake = context.createConsumer(context.createQueue(Flow.Queues.REFERRALS_INTAKE))) {
            assertThat(intake.receive(5_000).getBody(byte[].class)).asString(StandardCharsets.UTF_8).isEqualTo("sealed envelope");
            assertThat(intake.receive(500)).as("once").isNull();
        }
        assertThat(deadLetters.list()).isEmpty();
    }

    /** The bus's management right is the move off a parking queue; nothing else, on no other queue. */
    @ParameterizedTest
    @EnumSource(Broker.class)
    void theBusMayMoveParkedMessagesAndManageNothingElse(Broker kind) throws Exception {
        start(kind);
        assertThatThrownBy(() -> mover.move(ORIGIN, null, Flow.Queues.DEAD_LETTERS, 1)).isInstanceOf(ReferralBusException.class)
                .hasMessageContaining("refused").hasMessageContaining("EDIT");
        assertThat(mover.move(Flow.Queues.DEAD_LETTERS, null, ORIGIN, 1)).as("an empty DLQ: nothing moved, but allowed").isZero();
        try (JMSContext context = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            TemporaryQueue answers = context.createTemporaryQueue();
            Message divert = context.createMessage();
            JMSManagementHelper.putOperationInvocation(divert, ResourceNames.BROKER, "createDivert", "copy", "copy",
                    ORIGIN, Flow.Queues.REFERRALS_INTAKE, false, null, null);
            context.createProducer().setJMSReplyTo(answers).send(context.createQueue(BrokerLayout.MANAGEMENT_ADDRESS), divert);
            Message answer = context.createConsumer(answers).receive(5_000);
            assertThat(JMSManagementHelper.hasOperationSucceeded(answer)).as("a divert copying a provider's queue").isFalse();
        }
        assertThat(broker.getActiveMQServer().getPostOffice().getBinding(SimpleString.of("copy"))).isNull();
    }
}
