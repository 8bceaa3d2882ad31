package org.referralbus.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/**
 * The routing rules. Deterministic: the same referral and registry always give the same decision, so a retry
 * after a crash re-creates the same deliveries.
 * <ol>
 *   <li>No consent: everything goes to the coordinator only.</li>
 *   <li>A need outside the consent scope goes to the coordinator.</li>
 *   <li>Otherwise the first provider (registry order) offering the service in the person's region, else the first
 *       national one, else the coordinator.</li>
 * </ol>
 * With a {@link CaseLink} (same person as an earlier case, or an update), a need goes first to the provider already
 * holding the case for that service (rule {@code linked-case}), so the person is not placed with two shelters; needs
 * nobody in the case holds yet follow the rules above. A referral newly linked to another referral's case also goes
 * to the coordinator (reason {@code LINKED_CASE}), who sees the link.
 */
@Component
public class RoutingRules {

    private final ProviderRegistry registry;

    public RoutingRules(ProviderRegistry registry) {
        this.registry = registry;
    }

    public RoutingDecision decide(Referral referral) {
        return decide(referral, null);
    }

    /** As {@link #decide(Referral)}, preferring the providers already holding the referral's case; link may be null. */
    public RoutingDecision decide(Referral referral, CaseLink link) {
        Map<String, Builder> byProvider = new LinkedHashMap<>();
        Provider coordinator = registry.coordinator();
        if (!referral.consentGiven()) {
            Builder builder = byProvider.computeIfAbsent(coordinator.id(), id -> new Builder(coordinator));
            referral.services().forEach(service -> builder.add(service, "no-consent", "NO_CONSENT"));
            return build(byProvider);
        }
        for (String service : referral.services()) {
            if (!referral.consentScope().contains(service)) {
                byProvider.computeIfAbsent(coordinator.id(), id -> new Builder(coordinator))
                        .add(service, "outside-consent", "OUTSIDE_CONSENT:" + service);
                continue;
            }
            Optional<Provider> holding = holdingCase(link, service);
            if (holding.isPresent()) {
                byProvider.computeIfAbsent(holding.get().id(), id -> new Builder(holding.get())).add(service, "linked-case", null);
                continue;
            }
            Optional<Provider> regional = registry.all().stream()
                    .filter(p -> p.offers(service) && p.serves(referral.region())).findFirst();
            Optional<Provider> national = registry.all().stream()
                    .filter(p -> p.offers(service) && p.isNational()).findFirst();
            if (regional.isPresent()) {
                byProvider.computeIfAbsent(regional.get().id(), id -> new Builder(regional.get())).add(service, "regional", null);
            } else if (national.isPresent()) {
                byProvider.computeIfAbsent(national.get().id(), id -> new Builder(national.get())).add(service, "national", null);
            } else {
                byProvider.computeIfAbsent(coordinator.id(), id -> new Builder(coordinator))
                        .add(service, "no-provider", "NO_PROVIDER:" + service);
            }
        }
        if (link != null && link.linkedToExistingCase() && !link.isUpdate()) {
            Builder builder = byProvider.computeIfAbsent(coordinator.id(), id -> {
                Builder notice = new Builder(coordinator);
                referral.services().forEach(service -> notice.add(service, "linked-case-notice", null));
                return notice;
            });
            builder.reasons.add("LINKED_CASE");
        }
        return build(byProvider);
    }

    /** The provider holding the case for this service, if it is still registered and still offers it. */
    private Optional<Provider> holdingCase(CaseLink link, String service) {
        if (link == null || !link.joinsEarlierReferrals()) {
            return Optional.empty();
        }
        return Optional.ofNullable(link.providersByService().get(service))
                .flatMap(registry::find)
                .filter(p -> p.offers(service));
    }

    private static RoutingDecision build(Map<String, Builder> byProvider) {
        return new RoutingDecision(byProvider.values().stream().map(Builder::build).toList());
    }

    private static final class Builder {
        private final Provider provider;
        private final List<String> services = new ArrayList<>();
        private final List<String> rules = new ArrayList<>();
        private final List<String> reasons = new ArrayList<>();

        Builder(Provider provider) {
            this.provider = provider;
        }

        Builder add(String service, String rule, String reason) {
            services.add(service);
            rules.add(rule + ":" + service);
            if (reason != null) {
                reasons.add(reason);
            }
            return this;
        }

        Assignment build() {
            return new Assignment(provider, List.copyOf(services), List.copyOf(rules), List.copyOf(reasons));
        }
    }
}
