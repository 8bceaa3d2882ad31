package org.referralbus.routing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.referralbus.core.ReferralBusException;
import org.referralbus.participants.CertificateTrust;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which registered providers' certificates the bus would accept now: one revoked or expired cannot fetch or answer,
 * so new referrals go to the next provider instead. It used to stop the whole registry (and the bus at its next start)
 * and still received new referrals until then. Checked when the registry loads and at each of its reload looks, so a
 * CRL that arrives or a certificate that expires takes effect within the reload interval; each change is logged once.
 */
final class ProviderStanding {

    private static final Logger log = LoggerFactory.getLogger(ProviderStanding.class);

    private final CertificateTrust trust;
    private final Map<String, String> suspended = new ConcurrentHashMap<>();

    ProviderStanding(CertificateTrust trust) {
        this.trust = trust;
    }

    /** Checks every provider's certificate now; logs each provider that falls out of standing or comes back. */
    void check(List<Provider> providers, String coordinator) {
        Set<String> listed = providers.stream().map(Provider::id).collect(Collectors.toSet());
        suspended.keySet().removeIf(id -> !listed.contains(id));
        for (Provider provider : providers) {
            String why = refusal(provider);
            String before = why == null ? suspended.remove(provider.id()) : suspended.put(provider.id(), why);
            if (why != null && before == null) {
                log.warn("Provider {}'s certificate is no longer accepted ({}): {}", provider.id(), why,
                        provider.id().equals(coordinator)
                                ? "it is the coordinator, the last resort, so it keeps receiving; issue it a new certificate now"
                                : "no new referral is routed to it; its open copies are escalated at their deadline. Renew its"
                                + " certificate (participant add) or remove it from the registry");
            } else if (why == null && before != null) {
                log.info("Provider {}'s certificate is accepted again: referrals are routed to it", provider.id());
            }
        }
    }

    /** Whether new referrals may go to {@code provider}. */
    boolean inStanding(Provider provider) {
        return !suspended.containsKey(provider.id());
    }

    private String refusal(Provider provider) {
        try {
            trust.verify(provider.certificate(), List.of());
            return null;
        } catch (ReferralBusException refused) {
            java.time.Instant now = java.time.Instant.now();
            java.security.cert.X509Certificate certificate = provider.certificate();
            return certificate.getNotAfter().toInstant().isBefore(now) ? "expired " + certificate.getNotAfter().toInstant()
                    : certificate.getNotBefore().toInstant().isAfter(now) ? "not valid before " + certificate.getNotBefore().toInstant()
                    : "revoked";
        }
    }
}
