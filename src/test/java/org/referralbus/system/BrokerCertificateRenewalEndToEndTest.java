package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.BrokerClients;
import org.referralbus.support.StandaloneBus;
import org.referralbus.support.TestPki;
import org.referralbus.support.TlsHandshake;
import org.springframework.jms.core.JmsTemplate;

/**
 * A renewed certificate of the embedded broker's acceptor, copied over the files {@code referral-bus.broker.certificate}
 * and {@code .private-key} name, is shown to new connections without a restart (Artemis's {@code sslAutoReload}); a
 * provider connected before keeps its connection and receives on it. The standalone broker's is in
 * {@code broker/StandaloneArtemisTest}.
 */
class BrokerCertificateRenewalEndToEndTest {

    @TempDir
    Path work;

    @Test
    void aRenewedAcceptorCertificateIsShownToNewConnectionsAndAnOpenOneKeepsWorking() throws Exception {
        TestPki.Identity first = acceptor();
        TestPki.Identity renewed = acceptor();
        Path files = Files.createDirectories(work.resolve("broker-tls"));
        first.writePem(files, "broker");

        try (StandaloneBus bus = StandaloneBus.start(work.resolve("data"),
                "--referral-bus.broker.certificate=" + files.resolve("broker.crt"),
                "--referral-bus.broker.private-key=" + files.resolve("broker.key"))) {
            int port = bus.brokerPort();
            assertThat(serialShown(port)).isEqualTo(first.certificate().getSerialNumber());
            AtomicReference<JMSException> broken = new AtomicReference<>();
            try (ActiveMQConnectionFactory factory = BrokerClients.as(port, "providers", "shelter-dushanbe");
                 Connection open = factory.createConnection()) {
                open.setExceptionListener((ExceptionListener) broken::set);
                open.start();
                Session session = open.createSession(false, Session.AUTO_ACKNOWLEDGE);
                String marker = UUID.randomUUID().toString();
                MessageConsumer consumer = session.createConsumer(session.createQueue("deliveries.shelter-dushanbe"),
                        "probe = '" + marker + "'");

                replace(files, renewed);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> serialShown(port).equals(renewed.certificate().getSerialNumber()));

                new JmsTemplate(bus.bean(jakarta.jms.ConnectionFactory.class)).send("deliveries.shelter-dushanbe", s -> {
                    TextMessage copy = s.createTextMessage("sealed copy");
                    copy.setStringProperty("probe", marker);
                    return copy;
                });
                assertThat(((TextMessage) consumer.receive(15_000)).getText()).as("the connection opened before the renewal")
                        .isEqualTo("sealed copy");
                assertThat(broken.get()).isNull();
            }
            // A new connection that checks the acceptor against the CA, as participants do, gets in with the renewed one.
            try (ActiveMQConnectionFactory factory = BrokerClients.as(port, "providers", "shelter-dushanbe");
                 Connection fresh = factory.createConnection()) {
                Session session = fresh.createSession(false, Session.AUTO_ACKNOWLEDGE);
                assertThat(session.createBrowser(session.createQueue("deliveries.shelter-dushanbe")).getEnumeration()).isNotNull();
            }
        }
    }

    /** A certificate for the host clients dial, from the sample CA the clients trust. */
    private static TestPki.Identity acceptor() {
        return TestPki.sample().server(List.of("localhost", "127.0.0.1"), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)));
    }

    /** As an operator renews: the key, then the certificate, each copied over the file in place. */
    private void replace(Path files, TestPki.Identity renewed) throws Exception {
        Path staged = Files.createDirectories(work.resolve("renewed"));
        renewed.writePem(staged, "broker");
        Files.copy(staged.resolve("broker.key"), files.resolve("broker.key"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(staged.resolve("broker.crt"), files.resolve("broker.crt"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static BigInteger serialShown(int port) throws Exception {
        return TlsHandshake.presentedCertificate(port).getSerialNumber();
    }
}
