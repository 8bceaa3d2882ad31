package org.referralbus.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.routing.RoutingRule.Kind;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.schema.referral.Urgency;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/**
 * The routing rules, applied need by need. Deterministic: the same referral, registry and load give the same
 * decision (docs/operators.md, "Routing").
 * <ol>
 *   <li>No consent: every need goes to the coordinator.</li>
 *   <li>A need outside the consent scope goes to the coordinator.</li>
 *   <li>Otherwise the first provider (registry order) offering the service in the person's region, else the first
 *       national one, that accepts the person (age group, sex, a common language), has capacity left, and has not
 *       declined this need; else the coordinator.</li>
 *   <li>A minor (under 18 by birth date or estimate) always also goes to the child-protection provider, consent or not.</li>
 *   <li>An IMMEDIATE referral also sends the coordinator a copy.</li>
 *   <li>A need the coordinator itself declined goes to nobody: it stays declined.</li>
 * </ol>
 * With a {@link CaseLink} (same person as an earlier referral of the same sender, or an update), a need goes first to
 * the provider already holding the case for that service through the sender's own referrals (rule
 * {@code linked-case}), so the person is not placed with two shelters; needs nobody holds yet follow the rules above.
 * A referral that reached the case through <em>another agency's</em> referral, and every later referral or update of
 * its sender in that case, goes to the coordinator, who decides (rule {@code coordinator-review}): another agency's
 * placement is never used, so never shown (issue 10). Consent and the minor rule still come first. A referral newly
 * linked to a case also goes to the coordinator (reason {@code LINKED_CASE}), who sees the link.
 */
@Component
public class RoutingRules {

    private final ProviderRegistry registry;

    public RoutingRules(ProviderRegistry registry) {
        this.registry = registry;
    }

    /** The one entry point: first routing, routing in a case, or re-routing, as the context says. */
    public RoutingDecision decide(Referral referral, RoutingContext context) {
        Decision decision = new Decision(registry.coordinator(), context);
        Map<String, Integer> load = new HashMap<>(context.openCases());
        for (ServiceCode service : servicesToDecide(referral, context)) {
            if (referral.isMinor() && service == ServiceCode.CHILD_PROTECTION) {
                // in standing too: a revoked child-protection provider's key may be in other hands
                Optional<Provider> childProtection = registry.childProtection().filter(registry::mayRoute)
                        .filter(p -> !context.declinedBy(service, p.id()));
                if (childProtection.isPresent()) {
                    decision.assign(childProtection.get(), service, RoutingRule.of(Kind.MINOR, service), null);
                    continue;
                }
            }
            if (!referral.consentGiven()) {
                decision.assign(registry.coordinator(), service, RoutingRule.of(Kind.NO_CONSENT, service), "NO_CONSENT");
            } else if (!referral.consentScope().contains(service)) {
                decision.assign(registry.coordinator(), service, RoutingRule.of(Kind.OUTSIDE_CONSENT, service), "OUTSIDE_CONSENT:" + service.value());
            } else if (context.caseLink() != null && context.caseLink().joinedAnotherAgencysCase()) {
                decision.assign(registry.coordinator(), service, RoutingRule.of(Kind.COORDINATOR_REVIEW, service), null);
            } else {
                Optional<Provider> holding = holdingCase(context, service);
                if (holding.isPresent()) {
                    decision.assign(holding.get(), service, RoutingRule.of(Kind.LINKED_CASE, service), null);
                } else {
                    choose(referral, service, context, load, decision);
                }
            }
        }
        if (context.isFirstRouting() && referral.urgency() == Urgency.IMMEDIATE) {
            decision.copyToCoordinator(referral.services(), RoutingRule.copy(Kind.IMMEDIATE_COPY), Urgency.IMMEDIATE.value());
        }
        CaseLink link = context.caseLink();
        if (context.isFirstRouting() && link != null && link.linkedToExistingCase()
                && (!link.isUpdate() || link.joinedAnotherAgencysCase())) {
            decision.copyToCoordinator(referral.services(), RoutingRule.copy(Kind.LINKED_CASE_NOTICE), "LINKED_CASE");
        }
        return decision.build();
    }

    /** The provider holding the case for this service, if it is still registered and in standing, offers it and has not declined it. */
    private Optional<Provider> holdingCase(RoutingContext context, ServiceCode service) {
        CaseLink link = context.caseLink();
        if (link == null || !link.joinsEarlierReferrals()) {
            return Optional.empty();
        }
        return Optional.ofNullable(link.providersByService().get(service))
                .flatMap(registry::find)
                .filter(registry::mayRoute)
                .filter(p -> p.offers(service) && !context.declinedBy(service, p.id()));
    }

    private static List<ServiceCode> servicesToDecide(Referral referral, RoutingContext context) {
        Set<ServiceCode> services = new LinkedHashSet<>(referral.services());
        if (referral.isMinor()) {
            services.add(ServiceCode.CHILD_PROTECTION);
        }
        if (!context.isFirstRouting()) {
            services.retainAll(context.onlyServices());
        }
        return List.copyOf(services);
    }

    private void choose(Referral referral, ServiceCode service, RoutingContext context, Map<String, Integer> load, Decision decision) {
        Predicate<Provider> eligible = p -> p.offers(service) && !registry.isCoordinator(p) && accepts(p, referral)
                && !context.declinedBy(service, p.id());
        List<Provider> regional = registry.routable().stream().filter(eligible.and(p -> p.serves(referral.region()))).toList();
        List<Provider> national = registry.routable().stream().filter(eligible.and(Provider::isNational)).toList();
        Optional<Provider> chosen = firstWithCapacity(regional, load, decision);
        Kind rule = Kind.REGIONAL;
        if (chosen.isEmpty()) {
            chosen = firstWithCapacity(national, load, decision);
            rule = Kind.NATIONAL;
        }
        if (chosen.isPresent()) {
            if (!decision.holds(chosen.get())) {
                load.merge(chosen.get().id(), 1, Integer::sum); // one more open case, however many needs it covers
            }
            decision.assign(chosen.get(), service, RoutingRule.of(rule, service), null);
            return;
        }
        boolean someoneOffers = !regional.isEmpty() || !national.isEmpty();
        // After declines, "no provider" told the coordinator nobody offers the service, and it called around for one.
        boolean allDeclined = !someoneOffers && registry.routable().stream().anyMatch(p -> p.offers(service) && !registry.isCoordinator(p)
                && accepts(p, referral) && (p.serves(referral.region()) || p.isNational()) && context.declinedBy(service, p.id()));
        String reason = (someoneOffers ? "NO_CAPACITY:" : allDeclined ? "ALL_DECLINED:" : "NO_PROVIDER:") + service.value();
        decision.assign(registry.coordinator(), service, RoutingRule.of(someoneOffers ? Kind.NO_CAPACITY : Kind.NO_PROVIDER, service), reason);
    }

    private static Optional<Provider> firstWithCapacity(List<Provider> candidates, Map<String, Integer> load, Decision decision) {
        return candidates.stream()
                .filter(p -> p.capacity() == null || decision.holds(p) || load.getOrDefault(p.id(), 0) < p.capacity())
                .findFirst();
    }

    static boolean accepts(Provider provider, Referral referral) {
        Provider.Accepts accepts = provider.accepts();
        if (accepts.ageGroup() != null && referral.ageYears() != null
                && (accepts.ageGroup() == Provider.AgeGroup.MINORS) != referral.isMinor()) {
            return false;
        }
        if (!accepts.sexes().isEmpty() && !accepts.sexes().contains(referral.sex())) {
            return false;
        }
        return accepts.languages().isEmpty() || referral.languages().stream().anyMatch(accepts.languages()::contains);
    }

    /** Collects assignments per provider, in the order providers were first chosen. */
    private static final class Decision {
        private final Provider coordinator;
        private final RoutingContext context;
        private final Map<String, Builder> byProvider = new LinkedHashMap<>();

        Decision(Provider coordinator, RoutingContext context) {
            this.coordinator = coordinator;
            this.context = context;
        }

        /**
         * A need goes to nobody who declined it. The rules above already skip every other provider that did; the
         * coordinator is the last resort, so once it declines a need nobody is left: the need stays declined (closed
         * for retention, DECLINED in the sender's status) instead of going back to the coordinator in a loop.
         */
        void assign(Provider provider, ServiceCode service, RoutingRule rule, String reason) {
            if (context.declinedBy(service, provider.id())) {
                return;
            }
            byProvider.computeIfAbsent(provider.id(), id -> new Builder(provider)).own(service, rule, reason);
        }

        boolean holds(Provider provider) {
            return byProvider.containsKey(provider.id());
        }

        void copyToCoordinator(List<ServiceCode> allServices, RoutingRule rule, String reason) {
            byProvider.computeIfAbsent(coordinator.id(), id -> new Builder(coordinator)).copy(allServices, rule, reason);
        }

        RoutingDecision build() {
            return new RoutingDecision(byProvider.values().stream().map(Builder::build).toList());
        }
    }

    private static final class Builder {
        private final Provider provider;
        private final Set<ServiceCode> services = new LinkedHashSet<>();
        private final List<ServiceCode> owned = new ArrayList<>();
        private final List<RoutingRule> rules = new ArrayList<>();
        private final List<String> reasons = new ArrayList<>();

        Builder(Provider provider) {
            this.provider = provider;
        }

        void own(ServiceCode service, RoutingRule rule, String reason) {
            services.add(service);
            owned.add(service);
            rules.add(rule);
            if (reason != null) {
                reasons.add(reason);
            }
        }

        void copy(List<ServiceCode> allServices, RoutingRule rule, String reason) {
            services.addAll(allServices);
            rules.add(rule);
            reasons.add(reason);
        }

        Assignment build() {
            return new Assignment(provider, List.copyOf(services), List.copyOf(owned), List.copyOf(rules), List.copyOf(reasons));
        }
    }
}
