package org.referralbus.routing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.referralbus.core.ReferralBusException;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.participants.ParticipantIdentity;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.schema.referral.Region;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.schema.referral.Sex;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * Reads {@code routes/providers.yaml} and refuses it with a message naming the provider and the problem, so that a
 * coordinator's typo stops the bus (or a reload) instead of misrouting a referral. Services, regions and sexes are
 * parsed into the enums generated from {@code schemas/referral-v1.xsd}, so the registry and the referrals cannot drift
 * apart.
 */
final class ProviderRegistryLoader {

    /** The registry file as written; bound by Spring's binder so that YAML and names match docs/operators.md. */
    record ProviderEntry(String id, String name, List<String> services, List<String> regions, AcceptsEntry accepts,
                         Integer capacity, String certificate, String channel, String webhook) {
    }

    record AcceptsEntry(String age, List<String> sex, List<String> languages) {
    }

    private final CertificateTrust trust;
    private final String coordinator;

    ProviderRegistryLoader(CertificateTrust trust, String coordinator) {
        this.trust = trust;
        this.coordinator = coordinator;
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
            providers.add(check(file, entry, base, ids));
        }
        if (!ids.contains(coordinator)) {
            throw new InvalidRegistryException("The registry must list the provider '" + coordinator + "'");
        }
        return List.copyOf(providers);
    }

    private static List<ProviderEntry> bind(Path file) {
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(file.toString(), new FileSystemResource(file));
            Binder binder = new Binder(sources.stream().map(ConfigurationPropertySource::from).toList());
            return binder.bind("providers", Bindable.listOf(ProviderEntry.class))
                    .orElseThrow(() -> new InvalidRegistryException("The registry " + file + " has no 'providers' list"));
        } catch (InvalidRegistryException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidRegistryException("The registry " + file + " is not valid YAML: " + e.getMessage());
        }
    }

    private Provider check(Path file, ProviderEntry entry, Path base, Set<String> ids) {
        String id = entry.id();
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{1,62}")) {
            throw new InvalidRegistryException("Provider id '" + id + "' is missing or not of the form [a-z0-9-]");
        }
        if (!ids.add(id)) {
            throw new InvalidRegistryException("Provider '" + id + "' is listed twice");
        }
        List<ServiceCode> services = codes(file, id, "service", entry.services(), ServiceCode::fromValue);
        List<String> regionNames = entry.regions() == null ? List.of() : entry.regions();
        boolean national = regionNames.contains(Provider.NATIONAL);
        List<Region> regions = codes(file, id, "region",
                regionNames.stream().filter(r -> !Provider.NATIONAL.equals(r)).toList(), Region::fromValue);
        if (regions.isEmpty() && !national) {
            throw new InvalidRegistryException("Provider '" + id + "' serves no region (use NATIONAL for the whole country)");
        }
        if (services.isEmpty() && !coordinator.equals(id)) {
            throw new InvalidRegistryException("Provider '" + id + "' offers no service, so no rule can ever choose it");
        }
        Provider.Accepts accepts = accepts(file, id, entry.accepts());
        if (entry.capacity() != null && entry.capacity() < 1) {
            throw new InvalidRegistryException("Provider '" + id + "' has capacity " + entry.capacity() + ", so no rule can ever choose it");
        }
        if (coordinator.equals(id) && (entry.capacity() != null || accepts != Provider.Accepts.ANYONE)) {
            throw new InvalidRegistryException("The coordinator must take everything: no capacity or accepts limits");
        }
        Provider.DeliveryChannel channel = channel(id, entry.channel());
        URI webhook = webhook(id, channel, entry.webhook());
        return new Provider(id, entry.name() == null ? id : entry.name(), services, regions, national, accepts, entry.capacity(),
                certificate(entry, base), channel, webhook);
    }

    /** Each value as the schema's code ({@code fromValue}), or a refusal naming the file, the provider and the value. */
    private static <C> List<C> codes(Path file, String id, String what, List<String> values, Function<String, C> fromValue) {
        List<C> codes = new ArrayList<>();
        for (String value : values == null ? List.<String>of() : values) {
            try {
                codes.add(fromValue.apply(value));
            } catch (IllegalArgumentException e) {
                throw new InvalidRegistryException("Provider '" + id + "' names unknown " + what + " '" + value + "' in " + file);
            }
        }
        return List.copyOf(codes);
    }

    private static Provider.Accepts accepts(Path file, String id, AcceptsEntry entry) {
        if (entry == null) {
            return Provider.Accepts.ANYONE;
        }
        Provider.AgeGroup age = null;
        if (entry.age() != null) {
            try {
                age = Provider.AgeGroup.valueOf(entry.age().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidRegistryException("Provider '" + id + "' accepts unknown age group '" + entry.age() + "' (MINORS or ADULTS)");
            }
        }
        if (entry.sex() != null && entry.sex().isEmpty() || entry.languages() != null && entry.languages().isEmpty()) {
            throw new InvalidRegistryException("Provider '" + id + "' accepts an empty list, so no rule can ever choose it");
        }
        Set<Sex> sexes = Set.copyOf(codes(file, id, "sex", entry.sex(), Sex::fromValue));
        Set<String> languages = entry.languages() == null ? Set.of() : Set.copyOf(entry.languages());
        languages.stream().filter(l -> !l.matches("[a-z]{2,3}")).findFirst().ifPresent(l -> {
            throw new InvalidRegistryException("Provider '" + id + "' accepts unknown language code '" + l + "'");
        });
        return age == null && sexes.isEmpty() && languages.isEmpty() ? Provider.Accepts.ANYONE
                : new Provider.Accepts(age, sexes, languages);
    }

    private static Provider.DeliveryChannel channel(String id, String value) {
        try {
            return value == null ? Provider.DeliveryChannel.QUEUE : Provider.DeliveryChannel.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRegistryException("Provider '" + id + "' has unknown channel '" + value + "' (QUEUE, INBOX or WEBHOOK)");
        }
    }

    private static URI webhook(String id, Provider.DeliveryChannel channel, String value) {
        if (channel != Provider.DeliveryChannel.WEBHOOK) {
            return null;
        }
        if (value == null || !value.startsWith("https://")) {
            throw new InvalidRegistryException("Provider '" + id + "' uses WEBHOOK but has no https:// webhook URL");
        }
        return URI.create(value);
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
            // Issued by a trusted CA (checked as of its first day): a revocation or expiry since does not refuse the
            // registry, it only stops new referrals to that provider (ProviderStanding). It stopped the bus's start.
            trust.verifyAsOf(certificate, List.of(), certificate.getNotBefore().toInstant());
            identity = ParticipantIdentity.of(certificate);
        } catch (ReferralBusException e) {
            throw new InvalidRegistryException("Provider '" + entry.id() + "': certificate " + path + " is not issued by a"
                    + " trusted CA or unreadable");
        }
        if (!identity.id().equals(entry.id()) || identity.role() != ParticipantRole.PROVIDER) {
            throw new InvalidRegistryException("Provider '" + entry.id() + "': certificate " + path
                    + " belongs to '" + identity.id() + "' (" + identity.role() + ")");
        }
        return certificate;
    }
}
