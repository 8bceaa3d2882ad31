package org.referralbus.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A participant's JMS connection factory for the broker's TLS acceptor, with its own certificate and key (the broker
 * takes the participant from the certificate). Artemis reads a PEM key pair through a small PEMCFG file, which lives
 * as long as the factory: it is read again whenever the client connects.
 */
final class BrokerClient implements AutoCloseable {

    private final Path pemConfig;
    private final ActiveMQConnectionFactory factory;

    BrokerClient(String brokerUrl, Path certificate, Path key, Path trustAnchors) throws IOException {
        pemConfig = Files.createTempFile("bench-participant-", ".pemcfg");
        Files.writeString(pemConfig, "alias=participant\nsource.key=" + key.toAbsolutePath() + "\nsource.cert="
                + certificate.toAbsolutePath() + "\n", StandardCharsets.UTF_8);
        factory = new ActiveMQConnectionFactory(brokerUrl + "?sslEnabled=true;keyStoreType=PEMCFG;keyStorePath=" + pemConfig
                + ";trustStoreType=PEM;trustStorePath=" + trustAnchors.toAbsolutePath());
    }

    ActiveMQConnectionFactory factory() {
        return factory;
    }

    @Override
    public void close() throws IOException {
        factory.close();
        Files.deleteIfExists(pemConfig);
    }
}
