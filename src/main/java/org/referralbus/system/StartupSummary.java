package org.referralbus.system;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.stream.Collectors;
import org.referralbus.core.Sha256;
import org.referralbus.core.TrustAnchors;
import org.referralbus.participants.AgencyRegistry;
import org.referralbus.routing.ProviderRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * One log line once the bus serves, so an operator can confirm at a glance what it runs with: which bus certificate
 * (subject and SHA-256 fingerprint, to compare with what agencies encrypt for), which trust anchors, how many agencies
 * and providers were loaded, which database and broker, where it listens, and which profiles are active (a node
 * that should run {@code prod} but does not would skip its refusal of sample keys and secrets). Only certificates' public names,
 * counts and addresses: the database URL is cut before any user, password or parameter.
 */
@Component
class StartupSummary {

    private static final Logger log = LoggerFactory.getLogger(StartupSummary.class);

    private final X509Certificate busCertificate;
    private final TrustAnchors anchors;
    private final AgencyRegistry agencies;
    private final ProviderRegistry providers;
    private final BrokerProperties broker;
    private final Environment environment;

    StartupSummary(X509Certificate busCertificate, TrustAnchors anchors, AgencyRegistry agencies,
                   ProviderRegistry providers, BrokerProperties broker, Environment environment) {
        this.busCertificate = busCertificate;
        this.anchors = anchors;
        this.agencies = agencies;
        this.providers = providers;
        this.broker = broker;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void logSummary() {
        log.info(summary());
    }

    String summary() {
        return "referral-bus ready: bus certificate " + busCertificate.getSubjectX500Principal().getName()
                + " sha256=" + fingerprint(busCertificate)
                + "; trust anchors " + anchors.certificates().size() + " ["
                + anchors.certificates().stream().map(c -> c.getSubjectX500Principal().getName()).collect(Collectors.joining(" | "))
                + "]; agencies " + agencies.size() + ", providers " + providers.all().size()
                + "; database " + withoutCredentials(environment.getProperty("spring.datasource.url", "(none)"))
                + "; broker " + brokerAddress()
                + "; HTTPS on " + environment.getProperty("server.address", "0.0.0.0 (all interfaces)") + ":"
                + environment.getProperty("local.server.port", environment.getProperty("server.port", "?"))
                + "; profiles " + profiles(environment.getActiveProfiles());
    }

    /** The active profiles, comma-separated, or "default" when none is active. */
    static String profiles(String[] active) {
        return active.length == 0 ? "default" : String.join(",", active);
    }

    private String brokerAddress() {
        String mode = environment.getProperty("spring.artemis.mode", "embedded");
        if ("native".equals(mode)) {
            return "native " + withoutCredentials(environment.getProperty("spring.artemis.broker-url", "(default)"));
        }
        return "embedded, acceptor " + broker.host() + ":" + broker.port();
    }

    /** The address only: user info, query parameters and H2 settings may carry a password. */
    static String withoutCredentials(String url) {
        return url.replaceFirst("//[^/@]*@", "//").replaceFirst("[?;].*$", "");
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            return Sha256.hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            return "(unreadable)";
        }
    }
}
