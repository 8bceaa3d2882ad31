package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ReferralBusException;
import org.referralbus.routing.RoutingRule.Kind;

class RoutingRuleTest {

    @Test
    void codesAreExactlyTheStringsAgenciesAndAuditorsAlreadySee() {
        assertThat(RoutingRule.of(Kind.REGIONAL, "SHELTER").code()).isEqualTo("regional:SHELTER");
        assertThat(RoutingRule.of(Kind.NATIONAL, "LEGAL")).hasToString("national:LEGAL");
        assertThat(RoutingRule.of(Kind.MINOR, "CHILD_PROTECTION").code()).isEqualTo("minor:CHILD_PROTECTION");
        assertThat(RoutingRule.of(Kind.NO_CONSENT, "SHELTER").code()).isEqualTo("no-consent:SHELTER");
        assertThat(RoutingRule.of(Kind.OUTSIDE_CONSENT, "LEGAL").code()).isEqualTo("outside-consent:LEGAL");
        assertThat(RoutingRule.of(Kind.NO_CAPACITY, "SHELTER").code()).isEqualTo("no-capacity:SHELTER");
        assertThat(RoutingRule.of(Kind.NO_PROVIDER, "EDUCATION").code()).isEqualTo("no-provider:EDUCATION");
        assertThat(RoutingRule.of(Kind.LINKED_CASE, "SHELTER").code()).isEqualTo("linked-case:SHELTER");
        assertThat(RoutingRule.of(Kind.COORDINATOR_REVIEW, "SHELTER").code()).isEqualTo("coordinator-review:SHELTER");
        assertThat(RoutingRule.of(Kind.ESCALATED, "SHELTER").code()).isEqualTo("escalated:SHELTER");
        assertThat(RoutingRule.copy(Kind.IMMEDIATE_COPY).code()).isEqualTo("immediate-copy");
        assertThat(RoutingRule.copy(Kind.LINKED_CASE_NOTICE).code()).isEqualTo("linked-case-notice");
    }

    @Test
    void aCopyNamesNoServiceAndANeedRuleNamesOne() {
        assertThatThrownBy(() -> RoutingRule.of(Kind.IMMEDIATE_COPY, "SHELTER")).isInstanceOf(ReferralBusException.class);
        assertThatThrownBy(() -> RoutingRule.copy(Kind.REGIONAL)).isInstanceOf(ReferralBusException.class);
    }

    @Test
    void theRuleOfANeedIsFoundByItsServiceNotBySuffix() {
        Assignment assignment = new Assignment(null, List.of("LEGAL", "PARALEGAL"), List.of("LEGAL", "PARALEGAL"),
                List.of(RoutingRule.of(Kind.NATIONAL, "PARALEGAL"), RoutingRule.of(Kind.REGIONAL, "LEGAL"),
                        RoutingRule.copy(Kind.IMMEDIATE_COPY)), List.of());
        assertThat(assignment.ruleFor("LEGAL")).contains(RoutingRule.of(Kind.REGIONAL, "LEGAL"));
        assertThat(assignment.ruleFor("SHELTER")).isEmpty();
        assertThat(assignment.ruleCodes()).isEqualTo("national:PARALEGAL,regional:LEGAL,immediate-copy");
    }
}
