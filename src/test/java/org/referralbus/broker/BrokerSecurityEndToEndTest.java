package org.referralbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.UUID;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.BrokerClients;
import org.referralbus.support.LogCapture;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.TestPki;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * The broker's acceptor as an attacker on the network or a curious participant sees it: TLS only, a registered
 * certificate or nothing, and then only the participant's own queue (provider) or the intake (agency). The probes of
 * the outside review are each refused here: a forged dead letter, a forged sender property, newlines in properties
 * meant for the log, a management divert copying a provider's deliveries.
 */
class BrokerSecurityEndToEndTest extends RunningBus {

    @Autowired
    JmsTemplate bus;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EmbeddedActiveMQ broker;

    @Test
    void providerConsumesAndBrowsesOnlyItsOwnQueueAndCannotAnswerForAnother() throws Exception {
        String marker = UUID.randomUUID().toString();
        putOnQueue("deliveries.medical-dushanbe", marker);
        try (Connection connection = open(BrokerClients.as(BROKER_PORT, "providers", "medical-dushanbe"))) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var own = session.createQueue("deliveries.medical-dushanbe");
            assertThat(Collections.list(session.createBrowser(own, "probe = '" + marker + "'").getEnumeration())).hasSize(1);
            assertThat(session.createConsumer(own, "probe = '" + marker + "'").receive(15_000)).isNotNull();

            assertRefused(() -> session.createConsumer(session.createQueue("deliveries.shelter-dushanbe")));
            assertRefused(() -> session.createBrowser(session.createQueue("deliveries.shelter-dushanbe")).getEnumeration());
            assertRefused(() -> session.createProducer(own).send(session.createTextMessage("forged copy")));
            assertRefused(() -> session.createProducer(session.createQueue("referrals.intake")).send(session.createTextMessage("x")));
            assertRefused(() -> session.createConsumer(session.createQueue("webhooks.outbound")));
            assertRefused(() -> session.createProducer(session.createQueue("acknowledgements.shelter-dushanbe"))
                    .send(session.createTextMessage("{}")));
            assertRefused(() -> session.createConsumer(session.createQueue("acknowledgements.medical-dushanbe")));
            assertRefused(() -> session.createBrowser(session.createQueue("acknowledgements.medical-dushanbe")).getEnumeration());
            assertRefused(() -> session.createConsumer(session.createQueue("rejected.acknowledgements")));
        }
    }

    @Test
    void agencyMaySendOnlyToTheIntake() throws Exception {
        try (Connection connection = open(BrokerClients.as(BROKER_PORT, "agencies", "ngo-hotline"))) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertRefused(() -> session.createConsumer(session.createQueue("referrals.intake")));
            assertRefused(() -> session.createConsumer(session.createQueue("referrals.intake.rejected")));
            assertRefused(() -> session.createConsumer(session.createQueue("deliveries.shelter-dushanbe")));
            assertRefused(() -> session.createProducer(session.createQueue("deliveries.shelter-dushanbe"))
                    .send(session.createTextMessage("forged copy")));
            assertRefused(() -> session.createProducer(session.createQueue("webhooks.outbound")).send(session.createTextMessage("x")));
            assertRefused(() -> session.createProducer(session.createQueue("brand.new.address")).send(session.createTextMessage("x")));
        }
    }

    /** The review stole a shelter's delivery by putting its id on webhooks.dead; nobody outside the bus may send there. */
    @Test
    void forgedDeadLetterIsRefusedAndWouldNotEscalateAQueueDelivery() throws Exception {
        String referralId = submit("border-service", "border-service-adult-woman-shelter-dushanbe");
        String deliveryId = jdbc.queryForObject("SELECT delivery_id FROM delivery WHERE referral_id = ? AND provider_id = 'shelter-dushanbe'",
                String.class, referralId);
        for (String[] who : new String[][] {{"agencies", "border-service"}, {"providers", "medical-dushanbe"}}) {
            try (Connection connection = open(BrokerClients.as(BROKER_PORT, who[0], who[1]))) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                TextMessage forged = session.createTextMessage("x");
                forged.setStringProperty(Flow.Headers.DELIVERY_ID, deliveryId);
                forged.setStringProperty(Flow.Headers.PROVIDER_ID, "evil");
                assertRefused(() -> session.createProducer(session.createQueue(Flow.Queues.WEBHOOKS_DEAD)).send(forged));
            }
        }
        // Even a dead letter that got onto the queue names only a delivery: provider and channel come from the ledger.
        try (LogCapture logs = LogCapture.start()) {
            bus.send(Flow.Queues.WEBHOOKS_DEAD, session -> {
                TextMessage forged = session.createTextMessage("x");
                forged.setStringProperty(Flow.Headers.DELIVERY_ID, deliveryId);
                forged.setStringProperty(Flow.Headers.PROVIDER_ID, "evil");
                return forged;
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> !logs.lines("names no webhook delivery").isEmpty());
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE referral_id = ? AND event_type IN ('DEAD_LETTERED', 'ESCALATED')",
                Integer.class, referralId)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE detail LIKE '%evil%'", Integer.class)).isZero();
        assertThat(ProviderInbox.overTls(BROKER_PORT).take("shelter-dushanbe", referralId, 15_000)).hasSize(1);
    }

    /** The review forged the actor of audit rows with a referralBusTlsClient property on referrals.intake. */
    @Test
    void senderIsTheCertificateTheBrokerCheckedNeverAProperty() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] signedByBorderService = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8),
                SampleKeys.busCertificate());
        // ngo-hotline puts border-service's envelope on the queue, claiming to be border-service in every way it can.
        new JmsTemplate(BrokerClients.as(BROKER_PORT, "agencies", "ngo-hotline")).send(Flow.Queues.REFERRALS_INTAKE, session -> {
            var message = session.createBytesMessage();
            message.writeBytes(signedByBorderService);
            message.setStringProperty(Flow.Headers.TLS_CLIENT, "border-service");
            message.setStringProperty(Flow.Headers.VALIDATED_USER, "border-service");
            message.setStringProperty(Flow.Headers.DUPLICATE, "true");
            return message;
        });
        bus.setReceiveTimeout(20_000);
        Message parked = bus.receiveSelected(Flow.Queues.REFERRALS_INTAKE_REJECTED, Flow.Headers.ERROR_CODE + " = 'signer_mismatch'");
        assertThat(parked).isNotNull();
        assertThat(parked.getBody(byte[].class)).isEqualTo(signedByBorderService);
        assertThat(jdbc.queryForList("SELECT actor FROM audit_event WHERE event_type = 'REJECTED' AND detail = 'signer_mismatch'"
                + " ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY", String.class)).containsExactly("ngo-hotline");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM referral WHERE referral_id = ?", Integer.class, referralId)).isZero();
    }

    /** The review forged log lines with newlines in message properties. */
    @Test
    void newlinesInPropertiesCannotForgeLogLines() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            bus.send(Flow.Queues.WEBHOOKS_DEAD, session -> {
                TextMessage forged = session.createTextMessage("x");
                forged.setStringProperty(Flow.Headers.DELIVERY_ID, "nope\nINFO  Delivery 42 acknowledged by shelter-dushanbe");
                return forged;
            });
            new JmsTemplate(BrokerClients.as(BROKER_PORT, "agencies", "iom-mission")).send(Flow.Queues.REFERRALS_INTAKE, session -> {
                var message = session.createBytesMessage();
                message.writeBytes("not an envelope".getBytes(StandardCharsets.US_ASCII));
                message.setStringProperty(Flow.Headers.TLS_CLIENT, "x\nINFO  forged line");
                return message;
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> !logs.lines("names no webhook delivery").isEmpty()
                    && !logs.lines("Rejected submission").isEmpty());
            assertThat(logs.events()).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain("\n"));
            assertThat(logs.lines("Rejected submission")).last().asString().contains("actor=iom-mission");
        }
    }

    /** The review added a divert through the management API that silently copied a provider's deliveries. */
    @Test
    void managementIsClosedToParticipants() throws Exception {
        for (String[] who : new String[][] {{"agencies", "interior-ministry"}, {"providers", "shelter-dushanbe"}}) {
            try (Connection connection = open(BrokerClients.as(BROKER_PORT, who[0], who[1]))) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Message divert = session.createMessage();
                JMSManagementHelper.putOperationInvocation(divert, ResourceNames.BROKER, "createDivert", "copy-" + who[1],
                        "copy-" + who[1], "deliveries.shelter-dushanbe", "deliveries." + who[1], false, null, null);
                assertRefused(() -> session.createProducer(session.createQueue("activemq.management")).send(divert));
            }
        }
        assertThat(broker.getActiveMQServer().getPostOffice().getAddresses())
                .noneMatch(address -> address.toString().startsWith("copy-"));
        assertThat(broker.getActiveMQServer().getConfiguration().getDivertConfigurations()).isEmpty();
    }

    @Test
    void otherRolesUnregisteredKeysNoCertificateAndPlainTextAreRefused() {
        assertConnectionRefused(BrokerClients.as(BROKER_PORT, "auditors", "oversight-board"));
        assertConnectionRefused(BrokerClients.as(BROKER_PORT, "admins", "bus-admin"));
        TestPki.Identity lookAlike = TestPki.sample().identity("shelter-dushanbe", ParticipantRole.PROVIDER, TestPki.KeyType.EC_P256);
        lookAlike.writePem(DATA_DIR, "look-alike-shelter");
        assertConnectionRefused(BrokerClients.withKey(BROKER_PORT, DATA_DIR.resolve("look-alike-shelter.crt"),
                DATA_DIR.resolve("look-alike-shelter.key")));
        assertConnectionRefused(BrokerClients.withoutCertificate(BROKER_PORT));
        assertConnectionRefused(BrokerClients.plainText(BROKER_PORT));
    }

    private String submit(String agency, String example) throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example(example));
        byte[] envelope = SampleKeys.agencySealer(agency).seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        assertThat(agency(agency).post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode()).isEqualTo(202);
        return ReferralExamples.referralId(xml);
    }

    private void putOnQueue(String queue, String marker) {
        bus.send(queue, session -> {
            TextMessage message = session.createTextMessage("sealed copy");
            message.setStringProperty("probe", marker);
            return message;
        });
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
                connection.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(
                        connection.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue("deliveries.shelter-dushanbe"));
            }
        }).isInstanceOf(JMSException.class);
    }
}
