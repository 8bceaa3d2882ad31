package org.referralbus.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.referralbus.broker.BrokerLayout;
import org.referralbus.broker.BrokerSecurityManager;
import org.referralbus.broker.EmbeddedBrokerLayout;
import org.referralbus.broker.PagingLogFilter;
import org.referralbus.deadletters.RedeliveryReach;
import org.referralbus.delivery.DeliveryProperties;
import org.referralbus.participants.ParticipantAuthentication;
import org.referralbus.routing.ProviderRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.artemis.autoconfigure.ArtemisConfigurationCustomizer;
import org.springframework.boot.artemis.autoconfigure.ArtemisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shapes the embedded Artemis broker from the {@link BrokerLayout} (queues, redelivery, dead letters, duplicate-ID
 * cache, rights), adds its TLS-only network acceptor with certificate login ({@link BrokerSecurityManager}), and pins
 * a journal synced before every durable send returns. Only sealed CMS envelopes ever enter the broker, so its journal
 * holds nothing readable. The bus itself connects in-VM.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedBrokerConfiguration {

    @Bean
    BrokerLayout brokerLayout(ProviderRegistry providers, DeliveryProperties delivery) {
        return BrokerLayout.of(providers.all(), delivery.webhook());
    }

    /**
     * How much may wait ahead of a dead letter redelivered on its own: the broker's move keeps what it walked past in
     * memory, so the bound follows the memory bound per queue (embedded broker and standalone alike).
     */
    @Bean
    RedeliveryReach redeliveryReach(BrokerProperties broker) {
        return RedeliveryReach.forMemoryPerQueue(broker.memoryPerQueue().toBytes());
    }

    @Bean
    ArtemisConfigurationCustomizer referralBusBrokerCustomizer(BrokerLayout layout, BrokerProperties broker,
                                                               BusIdentityProperties identity, ArtemisProperties artemis) {
        return configuration -> {
            Path keyStore = acceptorKeyStore(Path.of(artemis.getEmbedded().getDataDirectory()), broker);
            String uri = "tcp://" + broker.host() + ":" + broker.port() + "?protocols=" + BrokerLayout.PROTOCOLS + ";"
                    + BrokerLayout.tlsAcceptorParameters("PEMCFG", keyStore.toString(),
                    identity.trustAnchors().toAbsolutePath().toString());
            try {
                configuration.addAcceptorConfiguration("participants", uri);
            } catch (Exception e) {
                throw new IllegalStateException("Invalid broker acceptor " + broker.host() + ":" + broker.port(), e);
            }
            EmbeddedBrokerLayout.apply(layout, broker.memoryPerQueue().toBytes(), configuration);
            PagingLogFilter.install(); // a queue that starts paging to disk is logged, before the broker starts
            // Artemis's defaults, pinned: a durable send (and a transaction's commit) is answered only once the journal
            // is synced to disk, so a delivery the receipt promises cannot vanish with the process or the machine.
            configuration.setJournalSyncNonTransactional(true);
            configuration.setJournalSyncTransactional(true);
            // Each durable send waits for the journal's next sync; the buffer timeout is how long a sync waits for
            // more writes to share it (docs/operators.md, "The broker").
            configuration.setJournalBufferTimeout_NIO(broker.journalBufferTimeoutNanos());
            configuration.setJournalBufferTimeout_AIO(broker.journalBufferTimeoutNanos());
        };
    }

    /** Installs certificate login on the broker before Boot starts it. */
    @Bean
    static BeanPostProcessor brokerSecurityInstaller(ObjectProvider<ParticipantAuthentication> participants) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof EmbeddedActiveMQ broker) {
                    broker.setSecurityManager(new BrokerSecurityManager(participants.getObject()));
                }
                return bean;
            }
        };
    }

    /**
     * The acceptor reads its key through a PEMCFG file naming the PEM certificate and key (paths only, no copy of
     * the key), written to the broker's data directory at each start. Artemis watches the PEM files it names and
     * applies a renewed pair to new connections ({@code sslAutoReload}, {@link BrokerLayout#tlsAcceptorParameters}).
     */
    private static Path acceptorKeyStore(Path dataDir, BrokerProperties broker) {
        Path file = dataDir.resolve("acceptor.pemcfg");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "alias=broker\nsource.key=" + broker.privateKey().toAbsolutePath()
                    + "\nsource.cert=" + broker.certificate().toAbsolutePath() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the broker acceptor's key store file " + file, e);
        }
        return file;
    }
}
