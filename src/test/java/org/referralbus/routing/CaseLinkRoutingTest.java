package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.referralbus.routing.RoutingRulesTest.provider;
import static org.referralbus.routing.RoutingRulesTest.referral;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.referralbus.dedupe.CaseLink;

/**
 * Routing of referrals that joined an existing case: the providers the sender's own referrals placed the case with
 * come first; a referral that reached the case through another agency goes to the coordinator (issue 10).
 */
class CaseLinkRoutingTest {

    private final RoutingRules rules = new RoutingRules(new ProviderRegistry(List.of(
            provider("shelter-dushanbe", List.of("SHELTER"), List.of("DUSHANBE")),
            provider("shelter-khatlon", List.of("SHELTER"), List.of("KHATLON")),
            provider("psychosocial-khatlon", List.of("PSYCHOSOCIAL"), List.of("KHATLON")),
            provider("child-protection-national", List.of("CHILD_PROTECTION"), List.of("NATIONAL")),
            provider("coordinator", List.of(), List.of("NATIONAL")))));

    private static final CaseLink LINKED = new CaseLink("c0ffee00-0000-4000-8000-000000000001", true, false, 1, null,
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
        CaseLink update = new CaseLink("c0ffee00-0000-4000-8000-000000000001", false, false, 2,
                "7d3c8a1e-0000-4000-8000-000000000000", Map.of("SHELTER", "shelter-dushanbe"));

        RoutingDecision decision = rules.decide(referral("KHATLON", true, Set.of("SHELTER"), "SHELTER"), update);

        assertThat(decision.assignments()).extracting(a -> a.provider().id()).containsExactly("shelter-dushanbe");
    }

    @Test
    void aNewCaseIsRoutedAsWithoutALink() {
        CaseLink fresh = new CaseLink("c0ffee00-0000-4000-8000-000000000002", false, false, 1, null, Map.of());
        var referral = referral("KHATLON", true, Set.of("SHELTER"), "SHELTER");

        assertThat(rules.decide(referral, fresh)).isEqualTo(rules.decide(referral));
    }

    @Test
    void holderNoLongerOfferingTheServiceIsNotPreferred() {
        CaseLink stale = new CaseLink("c0ffee00-0000-4000-8000-000000000003", true, false, 1, null,
                Map.of("SHELTER", "psychosocial-khatlon"));

        RoutingDecision decision = rules.decide(referral("KHATLON", true, Set.of("SHELTER"), "SHELTER"), stale);

        assertThat(decision.assignments().get(0).provider().id()).isEqualTo("shelter-khatlon");
    }

    @Test
    void referralThatReachedTheCaseThroughAnotherAgencyGoesToTheCoordinatorAlone() {
        CaseLink otherAgencys = new CaseLink("c0ffee00-0000-4000-8000-000000000004", true, true, 1, null, Map.of());

        RoutingDecision decision = rules.decide(referral("KHATLON", true, Set.of("SHELTER", "PSYCHOSOCIAL"), "SHELTER", "PSYCHOSOCIAL"),
                otherAgencys);

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("coordinator");
            assertThat(a.owned()).containsExactly("SHELTER", "PSYCHOSOCIAL");
            assertThat(a.rules()).containsExactly("coordinator-review:SHELTER", "coordinator-review:PSYCHOSOCIAL", "linked-case-notice");
            assertThat(a.reasons()).containsExactly("LINKED_CASE");
        });
    }

    @Test
    void anotherAgencysProviderIsNeverChosenEvenIfTheLinkNamedOne() {
        CaseLink otherAgencys = new CaseLink("c0ffee00-0000-4000-8000-000000000005", true, true, 1, null,
                Map.of("SHELTER", "shelter-dushanbe"));

        RoutingDecision decision = rules.decide(referral("KHATLON", true, Set.of("SHELTER"), "SHELTER"), otherAgencys);

        assertThat(decision.assignments()).extracting(a -> a.provider().id()).containsExactly("coordinator");
        assertThat(decision.assignments()).flatExtracting(Assignment::rules).noneMatch(rule -> rule.startsWith("linked-case:"));
    }

    @Test
    void anUpdateOfAReferralUnderReviewStaysWithTheCoordinatorWhoIsTold() {
        CaseLink update = new CaseLink("c0ffee00-0000-4000-8000-000000000006", true, true, 2,
                "7d3c8a1e-0000-4000-8000-000000000000", Map.of());

        RoutingDecision decision = rules.decide(referral("KHATLON", true, Set.of("SHELTER"), "SHELTER"), update);

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("coordinator");
            assertThat(a.reasons()).containsExactly("LINKED_CASE");
        });
    }

    @Test
    void aMinorReachedThroughAnotherAgencyStillGoesToChildProtection() {
        CaseLink otherAgencys = new CaseLink("c0ffee00-0000-4000-8000-000000000007", true, true, 1, null, Map.of());

        RoutingDecision decision = rules.decide(referral("KHATLON", true, Set.of("SHELTER"), 15, "FEMALE", Set.of("tg"), "SHELTER"),
                otherAgencys);

        assertThat(decision.assignments()).extracting(a -> a.provider().id()).containsExactly("coordinator", "child-protection-national");
        assertThat(decision.assignments().get(1).rules()).containsExactly("minor:CHILD_PROTECTION");
    }
}
