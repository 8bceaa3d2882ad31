package org.referralbus.validation;

import java.util.List;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/** A referral that is not well-formed, carries a DOCTYPE, or does not conform to the schema. */
public class SchemaViolationException extends ReferralBusException {

    private final transient List<Violation> violations;

    public SchemaViolationException(List<Violation> violations) {
        super(ErrorCode.SCHEMA_VIOLATION, violations.size() + " schema violation(s)");
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
