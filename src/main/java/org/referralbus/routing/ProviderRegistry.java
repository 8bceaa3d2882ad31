package org.referralbus.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.Sha256;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.participants.ParticipantIdentity;
import org.referralbus.participants.ParticipantRegister;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.participants.RegistryCertificateFiles;
import org.referralbus.schema.referral.ServiceCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The providers the bus may deliver to. Loaded and checked at start-up (a broken registry stops the bus; a provider
 * whose certificate was revoked or expired since it was issued does not, it only gets no new referrals), then
 * re-read when the file changes: a valid change replaces the registry at once and is audited; an invalid one is
 * refused, audited and logged, and the previous registry stays in force. Each provider's certificate is the one the
 * bus seals its deliveries for, and the only one (by key) with which it may fetch and acknowledge them.
 */
@Component
public class ProviderRegistry implements ParticipantRegister {

    private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

    /** {@code certificatesSha256}: the certificate files the registry names, so that a renewal in place is seen. */
    private record Snapshot(List<Provider> providers, String fileSha256, String certificatesSha256) {
    }

    private final AtomicReference<Snapshot> current;
    private final RegistryProperties properties;
    private final ProviderRegistryLoader loader;
    private final AuditTrail audit;
    private final ProviderStanding standing;

    @Autowired
    public ProviderRegistry(RegistryProperties properties, CertificateTrust trust, AuditTrail audit) {
        this.properties = properties;
        this.loader = new ProviderRegistryLoader(trust, properties.coordinator());
        this.audit = audit;
        this.standing = new ProviderStanding(trust);
        String sha = fileSha256();
        this.current = new AtomicReference<>(new Snapshot(checked(loader.load(properties.providers())), sha,
                RegistryCertificateFiles.digest(properties.providers())));
        standing.check(all(), properties.coordinator());
        audit.record(AuditEvent.of(AuditEventType.CONFIGURATION_CHANGED, null, audit.busActor()).withDetail("registry-loaded:" + sha));
    }

    /**
     * Reads and checks the registry file as the bus would at start-up, without running a registry (nothing audited,
     * never reloaded): for {@code broker-config}, which writes the standalone broker's queues and rights from it.
     */
    public static List<Provider> read(RegistryProperties properties, CertificateTrust trust) {
        return new ProviderRegistryLoader(trust, properties.coordinator()).load(properties.providers());
    }

    /** For unit tests: a fixed registry that is never reloaded. */
    ProviderRegistry(List<Provider> providers, RegistryProperties properties) {
        this.properties = properties;
        this.loader = null;
        this.audit = null;
        this.standing = null;
        this.current = new AtomicReference<>(new Snapshot(List.copyOf(providers), "", ""));
    }

    public List<Provider> all() {
        return current.get().providers();
    }

    /** The providers, the coordinator aside, whose certificate the bus would refuse now (revoked, expired). */
    public List<String> outOfStanding() {
        return all().stream().filter(p -> !mayRoute(p)).map(Provider::id).toList();
    }

    /**
     * The providers new referrals may go to: all but those whose certificate the bus would refuse now (revoked,
     * expired), which could neither fetch nor answer. The coordinator stays, as the last resort.
     */
    public List<Provider> routable() {
        return standing == null ? all() : all().stream().filter(this::mayRoute).toList();
    }

    /** Whether new referrals may go to {@code provider}: its certificate is accepted now, or it is the coordinator. */
    public boolean mayRoute(Provider provider) {
        return standing == null || standing.inStanding(provider) || isCoordinator(provider);
    }

    public Optional<Provider> find(String id) {
        return all().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    @Override
    public List<X509Certificate> certificatesOf(ParticipantIdentity identity) {
        if (identity.role() != ParticipantRole.PROVIDER) {
            return List.of();
        }
        return find(identity.id()).map(provider -> List.of(provider.certificate())).orElse(List.of());
    }

    public Provider coordinator() {
        return find(properties.coordinator()).orElseThrow();
    }

    public boolean isCoordinator(Provider provider) {
        return properties.coordinator().equals(provider.id());
    }

    public Optional<Provider> childProtection() {
        return find(properties.childProtectionProvider());
    }

    /** Re-reads the file if its content changed; true if a new registry is now in force. */
    @Scheduled(fixedDelayString = "${referral-bus.registry.reload-interval:10s}", initialDelayString = "${referral-bus.registry.reload-interval:10s}")
    public synchronized boolean reloadIfChanged() {
        if (loader == null) {
            return false;
        }
        try {
            return reloadWhenChanged();
        } finally {
            standing.check(all(), properties.coordinator()); // a CRL read since, or a certificate that expired meanwhile
        }
    }

    private boolean reloadWhenChanged() {
        String sha = fileSha256();
        String certificates = RegistryCertificateFiles.digest(properties.providers());
        if (sha.equals(current.get().fileSha256()) && certificates.equals(current.get().certificatesSha256())) {
            return false;
        }
        try {
            current.set(new Snapshot(checked(loader.load(properties.providers())), sha, certificates));
            audit.record(AuditEvent.of(AuditEventType.CONFIGURATION_CHANGED, null, audit.busActor()).withDetail("registry-reloaded:" + sha));
            log.info("Provider registry reloaded (sha256 {})", sha);
            return true;
        } catch (InvalidRegistryException e) {
            current.set(new Snapshot(current.get().providers(), sha, certificates));
            audit.record(AuditEvent.of(AuditEventType.CONFIGURATION_CHANGED, null, audit.busActor()).withDetail("registry-refused:" + sha));
            log.error("Provider registry change refused, previous registry stays in force: {}", e.getMessage());
            return false;
        }
    }

    private List<Provider> checked(List<Provider> providers) {
        String childProtection = properties.childProtectionProvider();
        if (providers.stream().noneMatch(p -> p.id().equals(childProtection) && p.offers(ServiceCode.CHILD_PROTECTION))) {
            throw new InvalidRegistryException("The registry must list '" + childProtection
                    + "' offering CHILD_PROTECTION: every minor is referred to it");
        }
        return providers;
    }

    private String fileSha256() {
        try {
            return Sha256.hex(Files.readAllBytes(properties.providers()));
        } catch (IOException e) {
            throw new InvalidRegistryException("Provider registry " + properties.providers() + " cannot be read");
        }
    }
}
