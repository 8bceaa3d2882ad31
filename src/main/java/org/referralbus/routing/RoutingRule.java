package org.referralbus.routing;

import java.util.Objects;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.schema.referral.ServiceCode;

/**
 * Which rule chose a provider, for one need or for a copy. Its {@link #code()} is what agencies, providers and
 * auditors see in audit details, delivery rows and the status history ({@code regional:SHELTER},
 * {@code linked-case:SHELTER}, {@code immediate-copy}): a stable contract, so never parse it back; ask the type.
 *
 * @param kind    the rule
 * @param service the need it decided, or null for a copy that owns no need
 */
public record RoutingRule(Kind kind, ServiceCode service) {

    public enum Kind {
        REGIONAL("regional"),
        NATIONAL("national"),
        MINOR("minor"),
        NO_CONSENT("no-consent"),
        OUTSIDE_CONSENT("outside-consent"),
        NO_CAPACITY("no-capacity"),
        NO_PROVIDER("no-provider"),
        LINKED_CASE("linked-case"),
        COORDINATOR_REVIEW("coordinator-review"),
        ESCALATED("escalated"),
        IMMEDIATE_COPY("immediate-copy"),
        LINKED_CASE_NOTICE("linked-case-notice"),
        /** A provider holding a referral is told the coordinator merged or split its case (issue 16). */
        CASE_NOTICE("case-notice");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** A copy (to the coordinator, or a case notice), not a decision about one need. */
        boolean isCopy() {
            return this == IMMEDIATE_COPY || this == LINKED_CASE_NOTICE || this == CASE_NOTICE;
        }
    }

    public RoutingRule {
        Objects.requireNonNull(kind, "kind");
        if (kind.isCopy() != (service == null)) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Rule " + kind.code() + (kind.isCopy() ? " names no service" : " needs a service"));
        }
    }

    public static RoutingRule of(Kind kind, ServiceCode service) {
        return new RoutingRule(kind, service);
    }

    public static RoutingRule copy(Kind kind) {
        return new RoutingRule(kind, null);
    }

    /** Whether this rule decided {@code need}. */
    public boolean decided(ServiceCode need) {
        return need == service;
    }

    /** Exactly the string stored and audited: {@code kind} or {@code kind:SERVICE}. */
    public String code() {
        return service == null ? kind.code() : kind.code() + ":" + service.value();
    }

    @Override
    public String toString() {
        return code();
    }
}
