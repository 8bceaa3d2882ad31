package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.referralbus.routing.RoutingRulesTest.NATIONAL;
import static org.referralbus.routing.RoutingRulesTest.provider;
import static org.referralbus.routing.RoutingRulesTest.referral;
import static org.referralbus.schema.referral.Region.DUSHANBE;
import static org.referralbus.schema.referral.Region.KHATLON;
import static org.referralbus.schema.referral.ServiceCode.CHILD_PROTECTION;
import static org.referralbus.schema.referral.ServiceCode.PSYCHOSOCIAL;
import static org.referralbus.schema.referral.ServiceCode.SHELTER;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.schema.referral.Sex;

/**
 * Routing of referrals that joined an existing case: the providers the sender's own referrals placed the case with
 * come first; a referral that reached the case through another agency goes to the coordinator (issue 10).
 */
class CaseLinkRoutingTest {

    private final RoutingRules rules = new RoutingRules(new ProviderRegistry(List.of(
            provider("shelter-dushanbe", List.of(SHELTER), List.of(DUSHANBE)),
            provider("shelter-khatlon", List.of(SHELTER), List.of(KHATLON)),
            provider("psychosocial-khatlon", List.of(PSYCHOSOCIAL), List.of(KHATLON)),
            provider("child-protection-national", List.of(CHILD_PROTECTION), NATIONAL),
            provider("coordinator", List.of(), NATIONAL)), RoutingRulesTest.REGISTRY));

    private static final CaseLink LINKED = new CaseLink("c0ffee00-0000-4000-8000-000000000001", true, false, 1, null,
            Map.of(SHELTER, "shelter-dushanbe"));

    @Test
    void linkedReferralGoesToTheShelterAlreadyHoldingTheCaseNotASecondOne() {
        RoutingDecision decision = rules.decide(referral(KHATLON, true, Set.of(SHELTER), SHELTER), inCase(LINKED));

        assertThat(decision.assignments()).extracting(a -> a.provider().id()).containsExactly("shelter-dushanbe", "coordinator");
        assertThat(decision.assignments().get(0).rules()).extracting(RoutingRule::code).containsExactly("linked-case:SHELTER");
        assertThat(decision.assignments().get(1).reasons()).containsExactly("LINKED_CASE");
    }

    @Test
    void needsNobodyInTheCaseHoldsFollowTheOrdinaryRules() {
        RoutingDecision decision = rules.decide(referral(KHATLON, true, Set.of(SHELTER, PSYCHOSOCIAL), SHELTER, PSYCHOSOCIAL), inCase(LINKED));

        assertThat(decision.assignments()).extracting(a -> a.provider().id())
                .containsExactly("shelter-dushanbe", "psychosocial-khatlon", "coordinator");
        assertThat(decision.assignments().get(1).rules()).extracting(RoutingRule::code).containsExactly("regional:PSYCHOSOCIAL");
    }

    @Test
    void consentStillComesFirstForALinkedReferral() {
        RoutingDecision decision = rules.decide(referral(KHATLON, true, Set.of(), SHELTER), inCase(LINKED));

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("coordinator");
            assertThat(a.reasons()).containsExactly("OUTSIDE_CONSENT:SHELTER", "LINKED_CASE");
        });
    }

    @Test
    void updateGoesToTheHoldersWithoutACoordinatorNotice() {
        CaseLink update = new CaseLink("c0ffee00-0000-4000-8000-000000000001", false, false, 2,
                "7d3c8a1e-0000-4000-8000-000000000000", Map.of(SHELTER, "shelter-dushanbe"));

        RoutingDecision decision = rules.decide(referral(KHATLON, true, Set.of(SHELTER), SHELTER), inCase(update));

        assertThat(decision.assignments()).extracting(a -> a.provider().id()).containsExactly("shelter-dushanbe");
    }

    @Test
    void aNewCaseIsRoutedAsWithoutALink() {
        CaseLink fresh = new CaseLink("c0ffee00-0000-4000-8000-000000000002", false, false, 1, null, Map.of());
        var referral = referral(KHATLON, true, Set.of(SHELTER), SHELTER);

        assertThat(rules.decide(referral, inCase(fresh))).isEqualTo(rules.decide(referral, RoutingContext.FIRST));
    }

    @Test
    void holderNoLongerOfferingTheServiceIsNotPreferred() {
        CaseLink stale = new CaseLink("c0ffee00-0000-4000-8000-000000000003", true, false, 1, null,
                Map.of(SHELTER, "psychosocial-khatlon"));

        RoutingDecision decision = rules.decide(referral(KHATLON, true, Set.of(SHELTER), SHELTER), inCase(stale));

        assertThat(decision.assignments().get(0).provider().id()).isEqualTo("shelter-khatlon");
    }

    @Test
    void referralThatReachedTheCaseThroughAnotherAgencyGoesToTheCoordinatorAlone() {
        CaseLink otherAgencys = new CaseLink("c0ffee00-0000-4000-8000-000000000004", true, true, 1, null, Map.of());

        RoutingDecision decision = rules.decide(referral(KHATLON, true, Set.of(SHELTER, PSYCHOSOCIAL), SHELTER, PSYCHOSOCIAL), inCase(otherAgencys));

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("coordinator");
            assertThat(a.owned()).containsExactly(SHELTER, PSYCHOSOCIAL);
            assertThat(a.rules()).extracting(RoutingRule::code).containsExactly("coordinator-review:SHELTER", "coordinator-review:PSYCHOSOCIAL", "linked-case-notice");
            assertThat(a.reasons()).containsExactly("LINKED_CASE");
        });
    }

    @Test
    void anotherAgencysProviderIsNeverChosenEvenIfTheLinkNamedOne() {
        CaseLink otherAgencys = new CaseLink("c0ffee00-0000-4000-8000-000000000005", true, true, 1, null,
                Map.of(SHELTER, "shelter-dushanbe"));

        RoutingDecision decision = rules.decide(referral(KHATLON, true, Set.of(SHELTER), SHELTER), inCase(otherAgencys));

        assertThat(decision.assignments()).extracting(a -> a.provider().id()).containsExactly("coordinator");
        assertThat(decision.assignments()).flatExtracting(Assignment::rules).noneMatch(rule -> rule.kind() == RoutingRule.Kind.LINKED_CASE);
    }

    @Test
    void anUpdateOfAReferralUnderReviewStaysWithTheCoordinatorWhoIsTold() {
        CaseLink update = new CaseLink("c0ffee00-0000-4000-8000-000000000006", true, true, 2,
                "7d3c8a1e-0000-4000-8000-000000000000", Map.of());

        RoutingDecision decision = rules.decide(referral(KHATLON, true, Set.of(SHELTER), SHELTER), inCase(update));

        assertThat(decision.assignments()).singleElement().satisfies(a -> {
            assertThat(a.provider().id()).isEqualTo("coordinator");
            assertThat(a.reasons()).containsExactly("LINKED_CASE");
        });
    }

    @Test
    void aMinorReachedThroughAnotherAgencyStillGoesToChildProtection() {
        CaseLink otherAgencys = new CaseLink("c0ffee00-0000-4000-8000-000000000007", true, true, 1, null, Map.of());

        RoutingDecision decision = rules.decide(referral(KHATLON, true, Set.of(SHELTER), 15, Sex.FEMALE, Set.of("tg"), SHELTER), inCase(otherAgencys));

        assertThat(decision.assignments()).extracting(a -> a.provider().id()).containsExactly("coordinator", "child-protection-national");
        assertThat(decision.assignments().get(1).rules()).extracting(RoutingRule::code).containsExactly("minor:CHILD_PROTECTION");
    }

    private static RoutingContext inCase(CaseLink link) {
        return new RoutingContext(Map.of(), Map.of(), null, link);
    }
}
