package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.referralbus.routing.RoutingRulesTest.provider;
import static org.referralbus.routing.RoutingRulesTest.referral;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.referralbus.dedupe.CaseLink;

/** Routing of referrals that joined an existing case: the providers already holding it come first. */
class CaseLinkRoutingTest {

    private final RoutingRules rules = new RoutingRules(new ProviderRegistry(List.of(
            provider("shelter-dushanbe", List.of("SHELTER"), List.of("DUSHANBE")),
            provider("shelter-khatlon", List.of("SHELTER"), List.of("KHATLON")),
            provider("psychosocial-khatlon", List.of("PSYCHOSOCIAL"), List.of("KHATLON")),
            provider("coordinator", List.of(), List.of("NATIONAL")))));

    private static final CaseLink LINKED = new CaseLink("c0ffee00-0000-4000-8000-000000000001", true, 1, null,
            Map.of("SHELTER", "shelter-dushanbe"));

    @Test
    void linkedReferralGoesToTheShelterAlreadyHoldingTheCaseNotASecondOne() {
        RoutingDecision decision = rules.decide(referral("KHATLON", true, Set.of("SHELTER"), "SHELTER"), LINKED);

        assertThat(decision.assignments()).extracting(a -> a.provider().id()).containsExactly("shelter-dushanbe", "coordinator");
        assertThat(decision.assignments().get(0).rules()).containsExactly("linked-case:SHELTER");
        assertThat(decision.assignments().get(1).reasons()).containsExactly("LINKED_CASE");
    }

    @Test
    void needsNobodyInTheCaseHoldsFollowTheOrdinaryRules() {
        RoutingDecision decision = rules.decide(referral("KHATLON", true, Set.of("SHELTER", "PSYCHOSOCIAL"), "SHELTER", "PSYCHOSOCIAL"), LINKED);

        assertThat(decision.assignments()).extracting(a -> a.provider().id())
                .containsExactly("shelter-dushanbe", "psychosocial-khatlon", "coordinator");
        assertThat(decision.assignments().get(1).rules()).containsExactly("regional:PSYCHOSOCIAL");
    }

    @Test
    void consentStillComesFirstForALinkedReferral() {
        RoutingDecision decision = rules.decide(referral("KHATLON", true, Set.of(), "SHELTER"), LINKED);

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("coordinator");
            assertThat(a.reasons()).containsExactly("OUTSIDE_CONSENT:SHELTER", "LINKED_CASE");
        });
    }

    @Test
    void updateGoesToTheHoldersWithoutACoordinatorNotice() {
        CaseLink update = new CaseLink("c0ffee00-0000-4000-8000-000000000001", false, 2,
                "7d3c8a1e-0000-4000-8000-000000000000", Map.of("SHELTER", "shelter-dushanbe"));

        RoutingDecision decision = rules.decide(referral("KHATLON", true, Set.of("SHELTER"), "SHELTER"), update);

        assertThat(decision.assignments()).extracting(a -> a.provider().id()).containsExactly("shelter-dushanbe");
    }

    @Test
    void aNewCaseIsRoutedAsWithoutALink() {
        CaseLink fresh = new CaseLink("c0ffee00-0000-4000-8000-000000000002", false, 1, null, Map.of());
        var referral = referral("KHATLON", true, Set.of("SHELTER"), "SHELTER");

        assertThat(rules.decide(referral, fresh)).isEqualTo(rules.decide(referral));
    }

    @Test
    void holderNoLongerOfferingTheServiceIsNotPreferred() {
        CaseLink stale = new CaseLink("c0ffee00-0000-4000-8000-000000000003", true, 1, null, Map.of("SHELTER", "psychosocial-khatlon"));

        RoutingDecision decision = rules.decide(referral("KHATLON", true, Set.of("SHELTER"), "SHELTER"), stale);

        assertThat(decision.assignments().get(0).provider().id()).isEqualTo("shelter-khatlon");
    }
}
