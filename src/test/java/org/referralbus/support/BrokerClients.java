package org.referralbus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * JMS (CORE) clients of the broker's TLS acceptor as a participant would connect: with its certificate and key, the
 * sample CA as trust, and nothing else. Also the clients that must be refused: no certificate, plain text.
 */
public final class BrokerClients {

    private BrokerClients() {
    }

    /** What to do with each message a browse finds. */
    @FunctionalInterface
    public interface EachMessage {
        void accept(jakarta.jms.Message message) throws jakarta.jms.JMSException;
    }

    /**
     * A provider browses its own queue {@code deliveries.<provider>} to its end over the TLS acceptor, with its sample
     * certificate, as it would: with no consumer credit window, since a browser with one can stop early
     * (org.referralbus.broker.QueueBrowsing says why).
     */
    public static void browseOwnQueue(int port, String provider, EachMessage each) throws jakarta.jms.JMSException {
        try (ActiveMQConnectionFactory factory = as(port, "providers", provider);
             jakarta.jms.Connection connection = connect(factory)) {
            connection.start();
            jakarta.jms.Session session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            try (jakarta.jms.QueueBrowser browser = session.createBrowser(session.createQueue("deliveries." + provider))) {
                java.util.Enumeration<?> messages = browser.getEnumeration();
                while (messages.hasMoreElements()) {
                    each.accept((jakarta.jms.Message) messages.nextElement());
                }
            }
        }
    }

    private static jakarta.jms.Connection connect(ActiveMQConnectionFactory factory) throws jakarta.jms.JMSException {
        factory.setConsumerWindowSize(0);
        return factory.createConnection();
    }

    /** A participant with the certificate and key in {@code keys-sample/<folder>/<id>.crt|key}. */
    public static ActiveMQConnectionFactory as(int port, String folder, String id) {
        return withKey(port, SampleKeys.certificate(folder, id), SampleKeys.key(folder, id));
    }

    /** A client with any PEM certificate and key (for example one made by {@link TestPki}). */
    public static ActiveMQConnectionFactory withKey(int port, Path certificate, Path key) {
        return factory(port, "sslEnabled=true;keyStoreType=PEMCFG;keyStorePath=" + pemConfig(certificate, key) + ";" + trust());
    }

    /** A participant of another deployment PKI than the sample one: its PEM certificate and key, trusting {@code ca}. */
    public static ActiveMQConnectionFactory withKey(int port, Path certificate, Path key, Path ca) {
        return factory(port, "sslEnabled=true;keyStoreType=PEMCFG;keyStorePath=" + pemConfig(certificate, key)
                + ";trustStoreType=PEM;trustStorePath=" + ca.toAbsolutePath());
    }

    /** TLS, trusting the broker, but showing no certificate. */
    public static ActiveMQConnectionFactory withoutCertificate(int port) {
        return factory(port, "sslEnabled=true;" + trust(), REFUSED_CALL_TIMEOUT_MS);
    }

    /** No TLS at all. */
    public static ActiveMQConnectionFactory plainText(int port) {
        return factory(port, "sslEnabled=false", REFUSED_CALL_TIMEOUT_MS);
    }

    /**
     * A client the TLS acceptor never answers (no certificate, no TLS) is refused when its first call times out: a few
     * seconds say so as well as 15 (an accepted connection answers in milliseconds), and two such waits were half a
     * minute of every broker security test.
     */
    private static final int REFUSED_CALL_TIMEOUT_MS = 4000;

    private static ActiveMQConnectionFactory factory(int port, String parameters) {
        return factory(port, parameters, 15000);
    }

    private static ActiveMQConnectionFactory factory(int port, String parameters, int callTimeoutMillis) {
        // One attempt: a refused connection must fail the test at once, not retry for minutes.
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://localhost:" + port + "?" + parameters
                + ";reconnectAttempts=0;initialConnectAttempts=1;callTimeout=" + callTimeoutMillis);
        return factory;
    }

    private static String trust() {
        return "trustStoreType=PEM;trustStorePath=" + SampleKeys.ROOT.resolve("ca.crt").toAbsolutePath();
    }

    private static Path pemConfig(Path certificate, Path key) {
        try {
            Path file = Files.createTempFile("broker-client-", ".pemcfg");
            Files.writeString(file, "alias=client\nsource.key=" + key.toAbsolutePath() + "\nsource.cert="
                    + certificate.toAbsolutePath() + "\n", StandardCharsets.UTF_8);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
