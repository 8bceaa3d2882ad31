package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ReferralBusException;
import org.referralbus.routing.RoutingRule.Kind;
import org.referralbus.schema.referral.ServiceCode;

class RoutingRuleTest {

    @Test
    void codesAreExactlyTheStringsAgenciesAndAuditorsAlreadySee() {
        assertThat(RoutingRule.of(Kind.REGIONAL, ServiceCode.SHELTER).code()).isEqualTo("regional:SHELTER");
        assertThat(RoutingRule.of(Kind.NATIONAL, ServiceCode.LEGAL)).hasToString("national:LEGAL");
        assertThat(RoutingRule.of(Kind.MINOR, ServiceCode.CHILD_PROTECTION).code()).isEqualTo("minor:CHILD_PROTECTION");
        assertThat(RoutingRule.of(Kind.NO_CONSENT, ServiceCode.SHELTER).code()).isEqualTo("no-consent:SHELTER");
        assertThat(RoutingRule.of(Kind.OUTSIDE_CONSENT, ServiceCode.LEGAL).code()).isEqualTo("outside-consent:LEGAL");
        assertThat(RoutingRule.of(Kind.NO_CAPACITY, ServiceCode.SHELTER).code()).isEqualTo("no-capacity:SHELTER");
        assertThat(RoutingRule.of(Kind.NO_PROVIDER, ServiceCode.EDUCATION).code()).isEqualTo("no-provider:EDUCATION");
        assertThat(RoutingRule.of(Kind.LINKED_CASE, ServiceCode.SHELTER).code()).isEqualTo("linked-case:SHELTER");
        assertThat(RoutingRule.of(Kind.COORDINATOR_REVIEW, ServiceCode.SHELTER).code()).isEqualTo("coordinator-review:SHELTER");
        assertThat(RoutingRule.of(Kind.ESCALATED, ServiceCode.SHELTER).code()).isEqualTo("escalated:SHELTER");
        assertThat(RoutingRule.copy(Kind.IMMEDIATE_COPY).code()).isEqualTo("immediate-copy");
        assertThat(RoutingRule.copy(Kind.LINKED_CASE_NOTICE).code()).isEqualTo("linked-case-notice");
    }

    @Test
    void aCopyNamesNoServiceAndANeedRuleNamesOne() {
        assertThatThrownBy(() -> RoutingRule.of(Kind.IMMEDIATE_COPY, ServiceCode.SHELTER)).isInstanceOf(ReferralBusException.class);
        assertThatThrownBy(() -> RoutingRule.copy(Kind.REGIONAL)).isInstanceOf(ReferralBusException.class);
    }

    @Test
    void theRuleOfANeedIsFoundByItsServiceNotByItsCode() {
        Assignment assignment = new Assignment(null, List.of(ServiceCode.FAMILY_TRACING, ServiceCode.LEGAL),
                List.of(ServiceCode.FAMILY_TRACING, ServiceCode.LEGAL),
                List.of(RoutingRule.of(Kind.NATIONAL, ServiceCode.FAMILY_TRACING), RoutingRule.of(Kind.REGIONAL, ServiceCode.LEGAL),
                        RoutingRule.copy(Kind.IMMEDIATE_COPY)), List.of());
        assertThat(assignment.ruleFor(ServiceCode.LEGAL)).contains(RoutingRule.of(Kind.REGIONAL, ServiceCode.LEGAL));
        assertThat(assignment.ruleFor(ServiceCode.SHELTER)).isEmpty();
        assertThat(assignment.ruleCodes()).isEqualTo("national:FAMILY_TRACING,regional:LEGAL,immediate-copy");
        assertThat(assignment.serviceCodes()).isEqualTo("FAMILY_TRACING,LEGAL");
    }

    @Test
    void ruleCodesAreTheSchemaValuesOfTheServices() {
        for (ServiceCode service : ServiceCode.values()) {
            assertThat(RoutingRule.of(Kind.REGIONAL, service).code()).isEqualTo("regional:" + service.value());
        }
    }
}
