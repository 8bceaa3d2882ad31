package org.referralbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.envelope.PemFiles;
import org.referralbus.support.AmqpProbe;
import org.referralbus.support.BrokerClients;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneArtemis;
import org.referralbus.support.TestPki;
import org.referralbus.support.TlsHandshake;

/**
 * The standalone broker built by {@code deploy/artemis.sh} from the official distribution and configured by
 * {@code broker-config}: the same TLS-only acceptor, certificate login and rights as the embedded one.
 */
class StandaloneArtemisTest {

    @TempDir
    static Path work;
    static StandaloneArtemis broker;
    /** The acceptor's certificate and key (the sample localhost pair at first), where a renewal is copied over them. */
    static Path acceptorFiles;

    @BeforeAll
    static void start() throws Exception {
        AmqpProbe.install();
        acceptorFiles = Files.createDirectories(work.resolve("acceptor"));
        Files.copy(SampleKeys.ROOT.resolve("tls/localhost.crt"), acceptorFiles.resolve("broker.crt"));
        Files.copy(SampleKeys.ROOT.resolve("tls/localhost.key"), acceptorFiles.resolve("broker.key"));
        broker = StandaloneArtemis.start(work, "--referral-bus.broker.certificate=" + acceptorFiles.resolve("broker.crt"),
                "--referral-bus.broker.private-key=" + acceptorFiles.resolve("broker.key"));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theLayoutsQueuesAndSettingsAreInstalled() throws Exception {
        String xml = Files.readString(broker.instance().resolve("etc/broker.xml"));
        assertThat(xml).contains("<queue name=\"referrals.intake\"/>", "<queue name=\"deliveries.shelter-dushanbe\"/>",
                "<queue name=\"acknowledgements.shelter-dushanbe\"/>", "<queue name=\"rejected.acknowledgements\"/>",
                "<dead-letter-address>webhooks.dead</dead-letter-address>", "<id-cache-size>100000</id-cache-size>",
                "needClientAuth=true", "<populate-validated-user>true</populate-validated-user>", "sslAutoReload=true",
                "<configuration-file-refresh-period>5000</configuration-file-refresh-period>");
    }

    /**
     * A renewed acceptor certificate copied over the files {@code acceptor.pemcfg} names is shown to new connections
     * within the broker's look at its files, without a restart; a connection opened before keeps working.
     */
    @Test
    void aRenewedAcceptorCertificateIsShownToNewConnectionsWithoutARestart() throws Exception {
        TestPki.Identity renewed = TestPki.sample().server(List.of("localhost", "127.0.0.1"), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)));
        try (Connection open = open(BrokerClients.as(broker.port(), "providers", "shelter-dushanbe"))) {
            assertThat(TlsHandshake.presentedCertificate(broker.port()))
                    .isEqualTo(PemFiles.readCertificate(SampleKeys.ROOT.resolve("tls/localhost.crt")));
            Path staged = Files.createDirectories(work.resolve("renewed"));
            renewed.writePem(staged, "broker");
            Files.copy(staged.resolve("broker.key"), acceptorFiles.resolve("broker.key"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(staged.resolve("broker.crt"), acceptorFiles.resolve("broker.crt"), StandardCopyOption.REPLACE_EXISTING);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> TlsHandshake.presentedCertificate(broker.port()).equals(renewed.certificate()));
            assertThatCode(() -> browseOwnQueue(open)).as("the connection opened before the renewal").doesNotThrowAnyException();
        }
        try (Connection fresh = open(BrokerClients.as(broker.port(), "providers", "shelter-dushanbe"))) {
            assertThatCode(() -> browseOwnQueue(fresh)).as("a new connection, checking the renewed certificate against the CA")
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void busIdentityFeedsAProviderQueueAndTheProviderReceivesOverTls() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (Connection bus = open(busClient())) {
            Session session = bus.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage copy = session.createTextMessage("sealed copy");
            copy.setStringProperty("probe", marker);
            session.createProducer(session.createQueue("deliveries.shelter-dushanbe")).send(copy);
        }
        try (Connection shelter = open(BrokerClients.as(broker.port(), "providers", "shelter-dushanbe"))) {
            Session session = shelter.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message received = session.createConsumer(session.createQueue("deliveries.shelter-dushanbe"), "probe = '" + marker + "'")
                    .receive(15_000);
            assertThat(received).isNotNull();
            assertRefused(() -> session.createConsumer(session.createQueue("deliveries.medical-dushanbe")));
            assertRefused(() -> session.createProducer(session.createQueue("referrals.intake")).send(session.createTextMessage("x")));
            session.createProducer(session.createQueue("acknowledgements.shelter-dushanbe")).send(session.createTextMessage("{}"));
            assertRefused(() -> session.createProducer(session.createQueue("acknowledgements.medical-dushanbe"))
                    .send(session.createTextMessage("{}")));
            assertRefused(() -> session.createConsumer(session.createQueue("acknowledgements.shelter-dushanbe")));
        }
    }

    @Test
    void agencySendsOnlyToTheIntakeAndTheBrokerStampsItsIdentity() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (Connection agency = open(BrokerClients.as(broker.port(), "agencies", "iom-mission"))) {
            Session session = agency.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage envelope = session.createTextMessage("envelope");
            envelope.setStringProperty("probe", marker);
            envelope.setStringProperty("JMSXUserID", "border-service");
            session.createProducer(session.createQueue("referrals.intake")).send(envelope);
            assertRefused(() -> session.createConsumer(session.createQueue("referrals.intake")));
            assertRefused(() -> session.createProducer(session.createQueue("webhooks.dead")).send(session.createTextMessage("x")));
            Message divert = session.createMessage();
            JMSManagementHelper.putOperationInvocation(divert, ResourceNames.BROKER, "createDivert", "copy", "copy",
                    "deliveries.shelter-dushanbe", "referrals.intake", false, null, null);
            assertRefused(() -> session.createProducer(session.createQueue("activemq.management")).send(divert));
        }
        try (Connection bus = open(busClient())) {
            Session session = bus.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message received = session.createConsumer(session.createQueue("referrals.intake"), "probe = '" + marker + "'").receive(15_000);
            assertThat(received.getStringProperty("JMSXUserID")).isEqualTo("iom-mission");
        }
    }

    /** The stock AMQP client of the README, against the standalone broker: SASL EXTERNAL by certificate, own queue only. */
    @Test
    void aProviderReceivesWithAStockAmqpClientAndNothingElse() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (Connection bus = open(busClient())) {
            Session session = bus.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage copy = session.createTextMessage("sealed copy");
            copy.setStringProperty("probe", marker);
            session.createProducer(session.createQueue("deliveries.medical-dushanbe")).send(copy);
        }
        String port = String.valueOf(broker.port());
        assertThat(AmqpProbe.run("receive", port, "providers", "medical-dushanbe", "deliveries.medical-dushanbe", "probe = '" + marker + "'")
                .get("event").asString()).isEqualTo("message");
        assertThat(AmqpProbe.run("receive", port, "providers", "medical-dushanbe", "deliveries.shelter-dushanbe")
                .get("event").asString()).isEqualTo("refused");
        assertThat(AmqpProbe.run("receive", port, null, null, "deliveries.medical-dushanbe").get("event").asString()).isEqualTo("refused");
    }

    @Test
    void otherRolesNoCertificateAndPlainTextAreRefused() {
        assertConnectionRefused(BrokerClients.as(broker.port(), "auditors", "oversight-board"));
        assertConnectionRefused(BrokerClients.withoutCertificate(broker.port()));
        assertConnectionRefused(BrokerClients.plainText(broker.port()));
    }

    private static ActiveMQConnectionFactory busClient() {
        return BrokerClients.withKey(broker.port(), SampleKeys.ROOT.resolve("bus/bus.crt"), SampleKeys.ROOT.resolve("bus/bus.key"));
    }

    private static void browseOwnQueue(Connection shelter) throws JMSException {
        Session session = shelter.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Collections.list(session.createBrowser(session.createQueue("deliveries.shelter-dushanbe")).getEnumeration());
        session.close();
    }

    private static Connection open(ActiveMQConnectionFactory factory) throws JMSException {
        Connection connection = factory.createConnection();
        connection.start();
        return connection;
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(JMSSecurityException.class);
    }

    private static void assertConnectionRefused(ActiveMQConnectionFactory factory) {
        assertThatThrownBy(() -> {
            try (Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createConsumer(session.createQueue("deliveries.shelter-dushanbe"));
            }
        }).isInstanceOf(JMSException.class);
    }
}
