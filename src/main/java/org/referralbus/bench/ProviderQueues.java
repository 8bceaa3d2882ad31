package org.referralbus.bench;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.routing.Provider;
import org.referralbus.routing.ProviderRegistry;
import org.referralbus.routing.RegistryProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The registry's QUEUE providers taking their copies off the broker while the bench runs, as their gateways do: each
 * over the broker's TLS acceptor with its own certificate (from the keys folder), consuming {@code deliveries.<id>}
 * and acknowledging every copy. Without them each copy for a QUEUE provider stayed on its queue and the broker paged
 * the queues to disk: the bench measured a broker whose providers never connect, writing page files beside the
 * journal and the database on the same disk (session 31).
 */
final class ProviderQueues implements AutoCloseable {

    private final List<BrokerClient> clients = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final AtomicLong taken = new AtomicLong();
    private final List<String> providers = new ArrayList<>();

    /** Starts one consumer per QUEUE provider of {@code registry} ({@code routes/providers.yaml}) that has a key in {@code keys}. */
    static ProviderQueues consume(String brokerUrl, Path registry, Path keys, Path trustAnchors) throws Exception {
        ProviderQueues queues = new ProviderQueues();
        try {
            for (String provider : queueProviders(registry, trustAnchors)) {
                Path certificate = keys.resolve("providers").resolve(provider + ".crt");
                Path key = keys.resolve("providers").resolve(provider + ".key");
                if (Files.isReadable(certificate) && Files.isReadable(key)) {
                    queues.start(provider, new BrokerClient(brokerUrl, certificate, key, trustAnchors));
                }
            }
        } catch (Exception e) {
            queues.close();
            throw e;
        }
        return queues;
    }

    /**
     * The ids of the registry's providers whose channel is QUEUE, in the file's order: read and checked as the bus reads
     * it at start-up ({@link ProviderRegistry#read}), so a provider without a channel (QUEUE) or with one in lower case
     * counts as the bus counts it.
     */
    static List<String> queueProviders(Path registry, Path trustAnchors) {
        CertificateTrust trust = new CertificateTrust(PemFiles.readCertificates(trustAnchors), Clock.systemUTC());
        // Bound as the bus binds its settings, so the rest keep the bus's own defaults.
        RegistryProperties properties = new Binder(new MapConfigurationPropertySource(
                Map.of("referral-bus.registry.providers", registry.toString())))
                .bindOrCreate("referral-bus.registry", RegistryProperties.class);
        return ProviderRegistry.read(properties, trust).stream()
                .filter(provider -> provider.channel() == Provider.DeliveryChannel.QUEUE)
                .map(Provider::id)
                .toList();
    }

    private void start(String provider, BrokerClient client) throws JMSException {
        clients.add(client);
        Connection connection = client.factory().createConnection();
        connections.add(connection);
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue("deliveries." + provider));
        consumer.setMessageListener(message -> taken.incrementAndGet());
        connection.start();
        providers.add(provider);
    }

    /** The providers consuming, by id. */
    List<String> providers() {
        return List.copyOf(providers);
    }

    /** Copies taken off the providers' queues so far. */
    long taken() {
        return taken.get();
    }

    @Override
    public void close() {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (JMSException e) {
                // the bus may already be gone at the end of a run: nothing left to take
            }
        }
        for (BrokerClient client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                // a temporary PEMCFG file left behind
            }
        }
    }
}
