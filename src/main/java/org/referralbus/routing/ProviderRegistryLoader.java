package org.referralbus.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.participants.ParticipantIdentity;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.system.ReferralBusException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * Reads {@code routes/providers.yaml} and refuses it with a message naming the provider and the problem, so that a
 * coordinator's typo stops the bus at start-up instead of misrouting a referral.
 */
final class ProviderRegistryLoader {

    static final Set<String> SERVICES = Set.of("SHELTER", "MEDICAL", "PSYCHOSOCIAL", "LEGAL", "RETURN",
            "REINTEGRATION", "CHILD_PROTECTION", "EDUCATION", "FAMILY_TRACING", "DOCUMENTATION");
    static final Set<String> REGIONS = Set.of("DUSHANBE", "SUGHD", "KHATLON", "GBAO", "RRS", Provider.NATIONAL);

    /** The registry file as written; bound by Spring's binder so that YAML and names match the README. */
    record ProviderEntry(String id, String name, List<String> services, List<String> regions, String certificate,
                         String channel) {
    }

    private final CertificateTrust trust;

    ProviderRegistryLoader(CertificateTrust trust) {
        this.trust = trust;
    }

    List<Provider> load(Path file) {
        if (!Files.isReadable(file)) {
            throw new InvalidRegistryException("Provider registry " + file + " cannot be read");
        }
        List<ProviderEntry> entries = bind(file);
        Path base = file.toAbsolutePath().getParent(); // certificate paths are relative to the registry file
        List<Provider> providers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ProviderEntry entry : entries) {
            providers.add(check(entry, base, ids));
        }
        if (!ids.contains(Provider.COORDINATOR)) {
            throw new InvalidRegistryException("The registry must list the provider '" + Provider.COORDINATOR + "'");
        }
        return List.copyOf(providers);
    }

    private static List<ProviderEntry> bind(Path file) {
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file));
            Binder binder = new Binder(sources.stream()
                    .map(org.springframework.boot.context.properties.source.ConfigurationPropertySource::from)
                    .toList());
            return binder.bind("providers", Bindable.listOf(ProviderEntry.class))
                    .orElseThrow(() -> new InvalidRegistryException("The registry " + file + " has no 'providers' list"));
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidRegistryException invalid) {
                throw invalid;
            }
            throw new InvalidRegistryException("The registry " + file + " is not valid YAML: " + e.getMessage());
        }
    }

    private Provider check(ProviderEntry entry, Path base, Set<String> ids) {
        String id = entry.id();
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{1,62}")) {
            throw new InvalidRegistryException("Provider id '" + id + "' is missing or not of the form [a-z0-9-]");
        }
        if (!ids.add(id)) {
            throw new InvalidRegistryException("Provider '" + id + "' is listed twice");
        }
        List<String> services = entry.services() == null ? List.of() : List.copyOf(entry.services());
        services.stream().filter(s -> !SERVICES.contains(s)).findFirst().ifPresent(s -> {
            throw new InvalidRegistryException("Provider '" + id + "' offers unknown service '" + s + "'");
        });
        List<String> regions = entry.regions() == null ? List.of() : List.copyOf(entry.regions());
        if (regions.isEmpty()) {
            throw new InvalidRegistryException("Provider '" + id + "' serves no region (use NATIONAL for the whole country)");
        }
        regions.stream().filter(r -> !REGIONS.contains(r)).findFirst().ifPresent(r -> {
            throw new InvalidRegistryException("Provider '" + id + "' serves unknown region '" + r + "'");
        });
        if (services.isEmpty() && !Provider.COORDINATOR.equals(id)) {
            throw new InvalidRegistryException("Provider '" + id + "' offers no service, so no rule can ever choose it");
        }
        X509Certificate certificate = certificate(entry, base);
        String channel = entry.channel() == null ? "QUEUE" : entry.channel().toUpperCase(java.util.Locale.ROOT);
        if (!"QUEUE".equals(channel)) {
            throw new InvalidRegistryException("Provider '" + id + "' has unsupported channel '" + entry.channel() + "'");
        }
        return new Provider(id, entry.name() == null ? id : entry.name(), services, regions, certificate,
                Provider.DeliveryChannel.QUEUE);
    }

    private X509Certificate certificate(ProviderEntry entry, Path base) {
        if (entry.certificate() == null) {
            throw new InvalidRegistryException("Provider '" + entry.id() + "' has no certificate");
        }
        Path path = base.resolve(entry.certificate());
        if (!Files.isReadable(path)) {
            throw new InvalidRegistryException("Provider '" + entry.id() + "': certificate " + path + " cannot be read");
        }
        X509Certificate certificate;
        ParticipantIdentity identity;
        try {
            certificate = PemFiles.readCertificate(path);
            trust.verify(certificate, List.of());
            identity = ParticipantIdentity.of(certificate);
        } catch (ReferralBusException | IllegalStateException e) {
            throw new InvalidRegistryException("Provider '" + entry.id() + "': certificate " + path + " is not trusted or unreadable");
        }
        if (!identity.id().equals(entry.id()) || identity.role() != ParticipantRole.PROVIDER) {
            throw new InvalidRegistryException("Provider '" + entry.id() + "': certificate " + path
                    + " belongs to '" + identity.id() + "' (" + identity.role() + ")");
        }
        return certificate;
    }
}
