package org.referralbus.validation;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.referralbus.schema.referral.ReferralType;

/**
 * A validated referral: the facts the bus routes on, plus the bound document from which need-to-know views are
 * cut. Instances live only in memory during processing; none of it is logged or stored readable.
 *
 * @param ageYears age in whole years from the birth date or the estimate (at {@code createdAt}), null if unknown
 */
public record Referral(String referralId,
                       String sender,
                       OffsetDateTime createdAt,
                       String category,
                       String urgency,
                       boolean consentGiven,
                       Set<String> consentScope,
                       String region,
                       Integer ageYears,
                       String sex,
                       Set<String> languages,
                       List<Need> needs,
                       ReferralType document) {

    public record Need(String service, String priority) {
    }

    public List<String> services() {
        return needs.stream().map(Need::service).toList();
    }

    /** Anyone under 18, by birth date or by estimate. */
    public boolean isMinor() {
        return ageYears != null && ageYears < 18;
    }
}
