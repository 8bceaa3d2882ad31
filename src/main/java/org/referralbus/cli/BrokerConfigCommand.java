package org.referralbus.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.referralbus.broker.BrokerLayout;
import org.referralbus.broker.Replication;
import org.referralbus.broker.StandaloneBrokerFiles;
import org.referralbus.delivery.DeliveryProperties;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.AgencyRegistry;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.participants.RevocationLists;
import org.referralbus.routing.Provider;
import org.referralbus.routing.ProviderRegistry;
import org.referralbus.routing.RegistryProperties;
import org.referralbus.system.BrokerProperties;
import org.referralbus.system.BusIdentityProperties;
import org.referralbus.system.BusKeyLoader;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code broker-config --output DIR}: the standalone Artemis broker's configuration from the same layout the embedded
 * broker uses, with the acceptor, registries and delivery settings the bus is configured with (the same
 * {@code --referral-bus.*} options apply). {@code deploy/artemis.sh create} installs the files.
 */
@Command(name = "broker-config", mixinStandardHelpOptions = true,
        description = {"Writes the standalone Artemis broker's configuration (broker.xml, certificate login, rights) to --output.",
                "Queues, redelivery and rights are the embedded broker's; the acceptor is referral-bus.broker.*;"
                        + " any --referral-bus.* option applies as for the bus."})
class BrokerConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--output", required = true, description = "directory to write the files to (created if missing)")
    Path output;

    @Option(names = "--bus-certificate",
            description = "the certificate the bus connects to the broker with (default: the bus's own, from"
                    + " referral-bus.identity.keystore or .certificate)")
    Path busCertificate;

    @Option(names = "--ha", paramLabel = "primary|backup",
            description = "write one broker of a replicating live/backup pair (default: a single broker); needs --ha-port, --ha-peer"
                    + " and --ha-password-file")
    String ha;

    @Option(names = "--ha-port", paramLabel = "PORT", description = "this broker's replication acceptor port (on referral-bus.broker.host)")
    Integer haPort;

    @Option(names = "--ha-peer", paramLabel = "HOST:PORT", description = "the other broker's replication acceptor")
    String haPeer;

    @Option(names = "--ha-password-file", paramLabel = "FILE",
            description = "the pair's cluster password, shared by both brokers (created, owner-only, if missing)")
    Path haPasswordFile;

    @Unmatched
    List<String> springArguments = new ArrayList<>();

    @Override
    public Integer call() {
        SubcommandContext.knownSettings(springArguments);
        Replication replication = replication();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Settings.class).web(WebApplicationType.NONE)
                .logStartupInfo(false).properties("spring.main.banner-mode=off", "logging.level.root=WARN")
                .run(springArguments.toArray(String[]::new))) {
            BrokerProperties broker = context.getBean(BrokerProperties.class);
            BusIdentityProperties identity = context.getBean(BusIdentityProperties.class);
            List<X509Certificate> anchors = PemFiles.readCertificates(identity.trustAnchors());
            List<Provider> providers = ProviderRegistry.read(context.getBean(RegistryProperties.class),
                    new CertificateTrust(anchors, Clock.systemUTC()));
            Path agencyFile = Binder.get(context.getEnvironment()).bind("referral-bus.participants.agencies", Path.class)
                    .orElse(Path.of("routes/agencies.yaml"));
            Map<String, X509Certificate> queueProviders = new LinkedHashMap<>();
            providers.stream().filter(p -> p.channel() == Provider.DeliveryChannel.QUEUE)
                    .forEach(p -> queueProviders.put(p.id(), p.certificate()));
            Map<String, X509Certificate> agencies = new LinkedHashMap<>(AgencyRegistry.load(agencyFile).certificates());
            // The standalone broker logs in by subject and reads no CRL: a revoked participant gets no login there.
            RevocationLists revocations = new RevocationLists(identity.crlFiles(), anchors, identity.crlCheckInterval(), Clock.systemUTC());
            List<String> revoked = new ArrayList<>();
            for (Map<String, X509Certificate> logins : List.of(agencies, queueProviders)) {
                logins.entrySet().removeIf(login -> revocations.isRevoked(login.getValue()) && revoked.add(login.getKey()));
            }
            // The bus's own certificate, from its keystore when it has one (the production recipe keeps no PEM copy).
            X509Certificate bus = busCertificate != null ? PemFiles.readCertificate(busCertificate)
                    : BusKeyLoader.certificate(identity.current());
            readable(broker.certificate(), "referral-bus.broker.certificate");
            readable(broker.privateKey(), "referral-bus.broker.private-key");
            BrokerLayout layout = BrokerLayout.of(providers, context.getBean(DeliveryProperties.class).webhook());
            List<Path> written = new StandaloneBrokerFiles(layout, broker.journalBufferTimeoutNanos(), broker.memoryPerQueue().toBytes()).write(output,
                    new StandaloneBrokerFiles.Acceptor(broker.host(), broker.port(), broker.certificate(), broker.privateKey(),
                            identity.trustAnchors()), replication,
                    agencies, queueProviders, bus);
            var out = spec.commandLine().getOut();
            written.forEach(file -> out.println("wrote " + file));
            if (!revoked.isEmpty()) {
                out.println("left out of cert-users.properties, revoked by referral-bus.identity.crl-files: " + String.join(", ", revoked));
            }
            out.println("acceptor: " + broker.host() + ":" + broker.port() + " (TLS, certificate login); queues: "
                    + String.join(", ", layout.queues()));
            if (ha != null) {
                out.println("replication: " + ha + " on " + broker.host() + ":" + haPort + ", peer " + haPeer);
            }
            return 0;
        }
    }

    /**
     * A broker that cannot read its acceptor's certificate and key when it starts runs on without the participants'
     * port (it re-reads them only when they change): refused here instead, before anything is written.
     */
    private static void readable(Path file, String property) {
        if (file == null || !Files.isReadable(file)) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "The broker's TLS file " + file + " (" + property + ") cannot be read:"
                    + " point the property at the broker's PEM certificate and key (docs/operators.md, 'The broker').");
        }
    }

    /** The pair settings, checked before anything is written; null for a single broker. */
    private Replication replication() {
        if (ha == null) {
            return null;
        }
        Replication.Role role = switch (ha.toLowerCase(java.util.Locale.ROOT)) {
            case "primary" -> Replication.Role.PRIMARY;
            case "backup" -> Replication.Role.BACKUP;
            default -> throw new ClientFailure(ClientCommands.CANNOT_RUN,
                    "--ha " + ha + " is not a role of the pair: give --ha primary or --ha backup.");
        };
        if (haPort == null || haPeer == null || haPasswordFile == null) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN,
                    "--ha needs --ha-port, --ha-peer HOST:PORT and --ha-password-file: give all three (docs/operators.md, 'A local cluster').");
        }
        int colon = haPeer.lastIndexOf(':');
        int peerPort;
        try {
            peerPort = Integer.parseInt(haPeer.substring(colon + 1));
        } catch (RuntimeException e) {
            peerPort = -1;
        }
        if (colon <= 0 || peerPort <= 0 || peerPort > 65535) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "--ha-peer " + haPeer + " is not HOST:PORT: give the other broker's"
                    + " replication acceptor, for example 127.0.0.1:61717.");
        }
        return new Replication(role, haPort, haPeer.substring(0, colon), peerPort, Replication.clusterPassword(haPasswordFile));
    }

    /** Only the settings the broker's configuration is made of: no database, no broker, no web server. */
    @EnableConfigurationProperties({BrokerProperties.class, BusIdentityProperties.class, DeliveryProperties.class,
            RegistryProperties.class})
    static class Settings {
    }
}
