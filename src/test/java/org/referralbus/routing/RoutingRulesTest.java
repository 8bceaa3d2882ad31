package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.referralbus.routing.Provider.DeliveryChannel;
import org.referralbus.validation.Referral;

class RoutingRulesTest {

    private final ProviderRegistry registry = new ProviderRegistry(List.of(
            provider("shelter-dushanbe", List.of("SHELTER"), List.of("DUSHANBE")),
            provider("shelter-national", List.of("SHELTER"), List.of("NATIONAL")),
            provider("legal-aid-khujand", List.of("LEGAL"), List.of("SUGHD")),
            provider("coordinator", List.of(), List.of("NATIONAL"))));
    private final RoutingRules rules = new RoutingRules(registry);

    @Test
    void regionalProviderIsPreferredOverNational() {
        RoutingDecision decision = rules.decide(referral("DUSHANBE", true, Set.of("SHELTER"), "SHELTER"));

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("shelter-dushanbe");
            assertThat(a.rules()).containsExactly("regional:SHELTER");
        });
    }

    @Test
    void nationalProviderTakesWhatNoRegionalOneOffers() {
        RoutingDecision decision = rules.decide(referral("GBAO", true, Set.of("SHELTER"), "SHELTER"));

        assertThat(decision.assignments()).extracting(a -> a.provider().id()).containsExactly("shelter-national");
        assertThat(decision.assignments().get(0).rules()).containsExactly("national:SHELTER");
    }

    @Test
    void needWithoutAnyProviderGoesToTheCoordinatorWithTheReason() {
        RoutingDecision decision = rules.decide(referral("GBAO", true, Set.of("LEGAL"), "LEGAL"));

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("coordinator");
            assertThat(a.reasons()).containsExactly("NO_PROVIDER:LEGAL");
        });
    }

    @Test
    void needOutsideConsentNeverReachesAProvider() {
        RoutingDecision decision = rules.decide(referral("SUGHD", true, Set.of("SHELTER"), "SHELTER", "LEGAL"));

        assertThat(decision.assignments()).extracting(a -> a.provider().id())
                .containsExactly("shelter-national", "coordinator");
        assertThat(decision.assignments().get(1).reasons()).containsExactly("OUTSIDE_CONSENT:LEGAL");
        assertThat(decision.assignments()).noneSatisfy(a -> assertThat(a.provider().id()).isEqualTo("legal-aid-khujand"));
    }

    @Test
    void withoutConsentEverythingGoesToTheCoordinatorOnly() {
        RoutingDecision decision = rules.decide(referral("DUSHANBE", false, Set.of(), "SHELTER", "LEGAL"));

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("coordinator");
            assertThat(a.services()).containsExactly("SHELTER", "LEGAL");
            assertThat(a.reasons()).containsExactly("NO_CONSENT", "NO_CONSENT");
        });
    }

    @Test
    void decisionIsDeterministic() {
        Referral referral = referral("SUGHD", true, Set.of("SHELTER", "LEGAL"), "LEGAL", "SHELTER");

        assertThat(rules.decide(referral)).isEqualTo(rules.decide(referral));
    }

    static Provider provider(String id, List<String> services, List<String> regions) {
        return new Provider(id, id, services, regions, null, DeliveryChannel.QUEUE);
    }

    static Referral referral(String region, boolean consent, Set<String> scope, String... services) {
        List<Referral.Need> needs = java.util.Arrays.stream(services).map(s -> new Referral.Need(s, "HIGH")).toList();
        return new Referral("7d3c8a1e-0000-4000-8000-000000000001", "border-service", OffsetDateTime.now(), "IDENTIFIED_VICTIM",
                "URGENT", consent, scope, region, 30, needs, null);
    }
}
