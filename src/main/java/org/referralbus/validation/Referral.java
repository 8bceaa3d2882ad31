package org.referralbus.validation;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.referralbus.schema.referral.Category;
import org.referralbus.schema.referral.Priority;
import org.referralbus.schema.referral.ReferralType;
import org.referralbus.schema.referral.Region;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.schema.referral.Sex;
import org.referralbus.schema.referral.Urgency;

/**
 * A validated referral: the facts the bus routes on, plus the bound document from which need-to-know views are
 * cut. Instances live only in memory during processing; none of it is logged or stored readable. Codes are the
 * enums generated from {@code schemas/referral-v1.xsd}; their {@code value()} is the string stored and shown.
 *
 * @param referralId the sender's id in lower case, the one form the bus stores, keys on and looks up
 *
 * @param ageYears age in whole years from the birth date or the estimate (at {@code createdAt}), null if unknown
 */
public record Referral(String referralId,
                       String sender,
                       OffsetDateTime createdAt,
                       Category category,
                       Urgency urgency,
                       boolean consentGiven,
                       Set<ServiceCode> consentScope,
                       Region region,
                       Integer ageYears,
                       Sex sex,
                       Set<String> languages,
                       List<Need> needs,
                       ReferralType document) {

    public record Need(ServiceCode service, Priority priority) {
    }

    /**
     * The id exactly as the agency wrote it (the stored and compared form is {@link #referralId}, lower case): the
     * receipt echoes it, so the agency finds its own string there.
     */
    public String referralIdAsSent() {
        return document == null ? referralId : document.getHeader().getReferralId();
    }

    public List<ServiceCode> services() {
        return needs.stream().map(Need::service).toList();
    }

    /** Anyone under 18, by birth date or by estimate. */
    public boolean isMinor() {
        return ageYears != null && ageYears < 18;
    }
}
