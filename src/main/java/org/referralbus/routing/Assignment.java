package org.referralbus.routing;

import java.util.List;
import java.util.Optional;
import org.referralbus.schema.referral.ServiceCode;

/**
 * One provider's share of a referral.
 *
 * @param services the services its copy shows (for the coordinator's copy of an IMMEDIATE referral: all of them)
 * @param owned    the needs this provider is now responsible for (a subset of services; empty for a mere copy)
 * @param rules    which rule chose the provider for each owned need, then any copy rule; their codes read e.g.
 *                 {@code regional:SHELTER}, {@code minor:CHILD_PROTECTION}, {@code immediate-copy}
 * @param reasons  why the coordinator got it ({@code NO_CONSENT}, {@code OUTSIDE_CONSENT:LEGAL}, {@code NO_PROVIDER:EDUCATION},
 *                 {@code IMMEDIATE}, {@code DECLINED:...}); empty for others
 */
public record Assignment(Provider provider, List<ServiceCode> services, List<ServiceCode> owned, List<RoutingRule> rules, List<String> reasons) {

    /** The rule that decided {@code need}, if this provider owns it. */
    public Optional<RoutingRule> ruleFor(ServiceCode need) {
        return rules.stream().filter(r -> r.decided(need)).findFirst();
    }

    /** The rules' codes joined by commas, as stored and audited. */
    public String ruleCodes() {
        return String.join(",", rules.stream().map(RoutingRule::code).toList());
    }

    /** The services' codes joined by commas, in order, as stored and shown to the provider. */
    public String serviceCodes() {
        return String.join(",", services.stream().map(ServiceCode::value).toList());
    }
}
