package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.referralbus.schema.referral.Region.DUSHANBE;
import static org.referralbus.schema.referral.Region.GBAO;
import static org.referralbus.schema.referral.Region.SUGHD;
import static org.referralbus.schema.referral.ServiceCode.CHILD_PROTECTION;
import static org.referralbus.schema.referral.ServiceCode.EDUCATION;
import static org.referralbus.schema.referral.ServiceCode.LEGAL;
import static org.referralbus.schema.referral.ServiceCode.SHELTER;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.referralbus.routing.Provider.Accepts;
import org.referralbus.routing.Provider.AgeGroup;
import org.referralbus.routing.Provider.DeliveryChannel;
import org.referralbus.schema.referral.Category;
import org.referralbus.schema.referral.Priority;
import org.referralbus.schema.referral.Region;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.schema.referral.Sex;
import org.referralbus.schema.referral.Urgency;
import org.referralbus.validation.Referral;

class RoutingRulesTest {

    /** The registry settings of the sample configuration: which ids are the coordinator and child protection. */
    static final RegistryProperties REGISTRY = new RegistryProperties(Path.of("routes/providers.yaml"), Duration.ofSeconds(10),
            "child-protection-national", "coordinator");

    private final ProviderRegistry registry = new ProviderRegistry(List.of(
            provider("shelter-dushanbe", List.of(SHELTER), List.of(DUSHANBE), new Accepts(null, Set.of(Sex.FEMALE), Set.of()), 2),
            provider("shelter-national", List.of(SHELTER), NATIONAL, Accepts.ANYONE, null),
            provider("legal-aid-khujand", List.of(LEGAL), List.of(SUGHD), new Accepts(null, Set.of(), Set.of("ru", "uz")), null),
            provider("youth-education", List.of(EDUCATION), NATIONAL, new Accepts(AgeGroup.MINORS, Set.of(), Set.of()), null),
            provider("child-protection-national", List.of(CHILD_PROTECTION), NATIONAL, Accepts.ANYONE, null),
            provider("coordinator", List.of(), NATIONAL, Accepts.ANYONE, null)), REGISTRY);
    private final RoutingRules rules = new RoutingRules(registry);

    @Test
    void regionalProviderIsPreferredOverNational() {
        RoutingDecision decision = rules.decide(referral(DUSHANBE, true, Set.of(SHELTER), SHELTER), RoutingContext.FIRST);

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("shelter-dushanbe");
            assertThat(a.rules()).extracting(RoutingRule::code).containsExactly("regional:SHELTER");
            assertThat(a.owned()).containsExactly(SHELTER);
        });
    }

    @Test
    void nationalProviderTakesWhatNoRegionalOneOffers() {
        RoutingDecision decision = rules.decide(referral(GBAO, true, Set.of(SHELTER), SHELTER), RoutingContext.FIRST);

        assertThat(providers(decision)).containsExactly("shelter-national");
        assertThat(decision.assignments().get(0).rules()).extracting(RoutingRule::code).containsExactly("national:SHELTER");
    }

    @Test
    void needWithoutAnyProviderGoesToTheCoordinatorWithTheReason() {
        RoutingDecision decision = rules.decide(referral(GBAO, true, Set.of(LEGAL), LEGAL), RoutingContext.FIRST);

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("coordinator");
            assertThat(a.reasons()).containsExactly("NO_PROVIDER:LEGAL");
        });
    }

    @Test
    void needOutsideConsentNeverReachesAProvider() {
        RoutingDecision decision = rules.decide(referral(SUGHD, true, Set.of(SHELTER), SHELTER, LEGAL), RoutingContext.FIRST);

        assertThat(providers(decision)).containsExactly("shelter-national", "coordinator");
        assertThat(decision.assignments().get(1).reasons()).containsExactly("OUTSIDE_CONSENT:LEGAL");
        assertThat(providers(decision)).doesNotContain("legal-aid-khujand");
    }

    @Test
    void withoutConsentEverythingGoesToTheCoordinatorOnly() {
        RoutingDecision decision = rules.decide(referral(DUSHANBE, false, Set.of(), SHELTER, LEGAL), RoutingContext.FIRST);

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("coordinator");
            assertThat(a.owned()).containsExactly(SHELTER, LEGAL);
            assertThat(a.reasons()).containsExactly("NO_CONSENT", "NO_CONSENT");
        });
    }

    @Test
    void minorIsAlwaysReferredToChildProtection() {
        Referral minor = referral(DUSHANBE, true, Set.of(SHELTER), 15, Sex.FEMALE, Set.of("tg"), SHELTER);

        assertThat(providers(rules.decide(minor, RoutingContext.FIRST))).containsExactly("shelter-dushanbe", "child-protection-national");
        assertThat(rules.decide(minor, RoutingContext.FIRST).assignments().get(1).rules()).extracting(RoutingRule::code).containsExactly("minor:CHILD_PROTECTION");
    }

    @Test
    void minorReachesChildProtectionEvenWithoutConsent() {
        Referral minor = referral(Region.KHATLON, false, Set.of(), 16, Sex.MALE, Set.of("tg"), SHELTER);

        assertThat(providers(rules.decide(minor, RoutingContext.FIRST))).containsExactlyInAnyOrder("coordinator", "child-protection-national");
    }

    @Test
    void adultIsNotReferredToChildProtection() {
        assertThat(providers(rules.decide(referral(DUSHANBE, true, Set.of(SHELTER), SHELTER), RoutingContext.FIRST)))
                .doesNotContain("child-protection-national");
    }

    @Test
    void immediateReferralAlsoCopiesTheCoordinatorWithoutGivingItTheNeeds() {
        Referral immediate = new Referral("7d3c8a1e-0000-4000-8000-000000000002", "border-service", OffsetDateTime.now(),
                Category.IDENTIFIED_VICTIM, Urgency.IMMEDIATE, true, Set.of(SHELTER), DUSHANBE, 30, Sex.FEMALE, Set.of("tg"),
                List.of(new Referral.Need(SHELTER, Priority.HIGH)), null);

        RoutingDecision decision = rules.decide(immediate, RoutingContext.FIRST);

        assertThat(providers(decision)).containsExactly("shelter-dushanbe", "coordinator");
        Assignment copy = decision.assignments().get(1);
        assertThat(copy.services()).containsExactly(SHELTER);
        assertThat(copy.owned()).isEmpty();
        assertThat(copy.reasons()).containsExactly("IMMEDIATE");
    }

    @Test
    void sexConstraintSendsAManToTheNextEligibleProvider() {
        Referral man = referral(DUSHANBE, true, Set.of(SHELTER), 30, Sex.MALE, Set.of("tg"), SHELTER);

        assertThat(providers(rules.decide(man, RoutingContext.FIRST))).containsExactly("shelter-national");
    }

    @Test
    void languageConstraintNeedsACommonLanguage() {
        Referral tajikOnly = referral(SUGHD, true, Set.of(LEGAL), 30, Sex.MALE, Set.of("tg"), LEGAL);
        Referral speaksRussian = referral(SUGHD, true, Set.of(LEGAL), 30, Sex.MALE, Set.of("tg", "ru"), LEGAL);

        assertThat(providers(rules.decide(tajikOnly, RoutingContext.FIRST))).containsExactly("coordinator");
        assertThat(providers(rules.decide(speaksRussian, RoutingContext.FIRST))).containsExactly("legal-aid-khujand");
    }

    @Test
    void ageGroupConstraintKeepsAdultsFromMinorsOnlyServices() {
        Referral adult = referral(GBAO, true, Set.of(EDUCATION), 30, Sex.FEMALE, Set.of("tg"), EDUCATION);
        Referral minor = referral(GBAO, true, Set.of(EDUCATION), 12, Sex.FEMALE, Set.of("tg"), EDUCATION);

        assertThat(providers(rules.decide(adult, RoutingContext.FIRST))).containsExactly("coordinator");
        assertThat(providers(rules.decide(minor, RoutingContext.FIRST))).contains("youth-education");
    }

    @Test
    void fullProviderIsSkippedForTheNextEligibleOne() {
        Referral referral = referral(DUSHANBE, true, Set.of(SHELTER), SHELTER);

        RoutingDecision decision = rules.decide(referral, new RoutingContext(Map.of("shelter-dushanbe", 2), Map.of(), null));

        assertThat(providers(decision)).containsExactly("shelter-national");
    }

    @Test
    void reroutingSkipsProvidersThatDeclinedAndOnlyDecidesTheDeclinedNeeds() {
        Referral referral = referral(DUSHANBE, true, Set.of(SHELTER, LEGAL), SHELTER, LEGAL);

        RoutingDecision decision = rules.decide(referral,
                new RoutingContext(Map.of(), Map.of(SHELTER, Set.of("shelter-dushanbe")), Set.of(SHELTER)));

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("shelter-national");
            assertThat(a.owned()).containsExactly(SHELTER);
        });
    }

    @Test
    void aNeedTheCoordinatorDeclinedGoesToNobodyAndTheOthersStillMoveOn() {
        Referral referral = referral(GBAO, true, Set.of(SHELTER, LEGAL), SHELTER, LEGAL);
        // LEGAL: nobody offers it in GBAO, so the coordinator had it and declined it; SHELTER: its provider declined
        Map<ServiceCode, Set<String>> declined = Map.of(LEGAL, Set.of("coordinator"), SHELTER, Set.of("shelter-national"));

        RoutingDecision decision = rules.decide(referral, new RoutingContext(Map.of(), declined, Set.of(SHELTER, LEGAL)));

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("coordinator");
            assertThat(a.owned()).containsExactly(SHELTER);
            assertThat(a.reasons()).as("shelter-national offers it and declined it").containsExactly("ALL_DECLINED:SHELTER");
        });
        assertThat(rules.decide(referral, new RoutingContext(Map.of(), declined, Set.of(LEGAL))).assignments()).isEmpty();
    }

    @Test
    void withoutConsentANeedTheCoordinatorDeclinedGoesToNobody() {
        Referral referral = referral(DUSHANBE, false, Set.of(), SHELTER);

        RoutingDecision decision = rules.decide(referral,
                new RoutingContext(Map.of(), Map.of(SHELTER, Set.of("coordinator")), Set.of(SHELTER)));

        assertThat(decision.assignments()).isEmpty();
    }

    @Test
    void decisionIsDeterministic() {
        Referral referral = referral(SUGHD, true, Set.of(SHELTER, LEGAL), LEGAL, SHELTER);

        assertThat(rules.decide(referral, RoutingContext.FIRST)).isEqualTo(rules.decide(referral, RoutingContext.FIRST));
    }

    @Test
    void theConfiguredCoordinatorAndChildProtectionProviderAreUsedWhateverTheirIds() {
        RegistryProperties renamed = new RegistryProperties(Path.of("routes/providers.yaml"), Duration.ofSeconds(10),
                "child-protection-sughd", "national-coordinator");
        RoutingRules configured = new RoutingRules(new ProviderRegistry(List.of(
                provider("coordinator", List.of(SHELTER), List.of(DUSHANBE)), // an ordinary shelter that happens to be called so
                provider("child-protection-national", List.of(CHILD_PROTECTION), NATIONAL),
                provider("child-protection-sughd", List.of(CHILD_PROTECTION), List.of(SUGHD)),
                provider("national-coordinator", List.of(), NATIONAL)), renamed));

        assertThat(configured.decide(referral(DUSHANBE, true, Set.of(SHELTER), SHELTER), RoutingContext.FIRST).assignments())
                .singleElement().satisfies(a -> {
                    assertThat(a.provider().id()).isEqualTo("coordinator");
                    assertThat(a.rules()).extracting(RoutingRule::code).containsExactly("regional:SHELTER");
                });
        assertThat(providers(configured.decide(referral(GBAO, true, Set.of(SHELTER), SHELTER), RoutingContext.FIRST)))
                .containsExactly("national-coordinator");
        assertThat(providers(configured.decide(referral(DUSHANBE, false, Set.of(), SHELTER), RoutingContext.FIRST)))
                .containsExactly("national-coordinator");
        Referral minor = referral(DUSHANBE, false, Set.of(), 15, Sex.FEMALE, Set.of("tg"), SHELTER);
        assertThat(providers(configured.decide(minor, RoutingContext.FIRST)))
                .containsExactlyInAnyOrder("national-coordinator", "child-protection-sughd");
    }

    private static List<String> providers(RoutingDecision decision) {
        return decision.assignments().stream().map(a -> a.provider().id()).toList();
    }

    /** No region listed: the provider serves the whole country ({@code NATIONAL} in the registry file). */
    static final List<Region> NATIONAL = List.of();

    static Provider provider(String id, List<ServiceCode> services, List<Region> regions) {
        return provider(id, services, regions, Accepts.ANYONE, null);
    }

    static Provider provider(String id, List<ServiceCode> services, List<Region> regions, Accepts accepts, Integer capacity) {
        return new Provider(id, id, services, regions, regions.isEmpty(), accepts, capacity, null, DeliveryChannel.QUEUE, null);
    }

    static Referral referral(Region region, boolean consent, Set<ServiceCode> scope, ServiceCode... services) {
        return referral(region, consent, scope, 30, Sex.FEMALE, Set.of("tg"), services);
    }

    static Referral referral(Region region, boolean consent, Set<ServiceCode> scope, Integer age, Sex sex, Set<String> languages,
                             ServiceCode... services) {
        List<Referral.Need> needs = Arrays.stream(services).map(s -> new Referral.Need(s, Priority.HIGH)).toList();
        return new Referral("7d3c8a1e-0000-4000-8000-000000000001", "border-service", OffsetDateTime.now(), Category.IDENTIFIED_VICTIM,
                Urgency.URGENT, consent, scope, region, age, sex, languages, needs, null);
    }
}
