package org.referralbus.delivery;

import java.util.List;
import org.referralbus.schema.referral.ServiceCode;

/**
 * One provider to be told that the coordinator merged or split the case of a referral it holds.
 *
 * @param services the services it holds for the referral (its copy shows these, as before)
 * @param caseId   the case the referral is in now ({@code <linkedCase>} of the copy)
 * @param reason   {@code CASES_MERGED:<case merged in>} or {@code CASE_SPLIT:<case on the other side>}
 */
public record CaseNotice(String sender, String referralId, String providerId, List<ServiceCode> services, String caseId,
                         String reason) {

    public CaseNotice {
        services = List.copyOf(services);
    }
}
