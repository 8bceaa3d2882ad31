package org.referralbus.dedupe;

import java.util.Map;
import org.referralbus.schema.referral.ServiceCode;

/**
 * What the linking step found out about a referral's case, for routing and for the delivery documents.
 *
 * @param caseId                   the bus's id of the case (a UUID that says nothing about the person)
 * @param linkedToExistingCase     the referral joined a case another referral opened (same person, found by person keys)
 * @param joinedAnotherAgencysCase the sender came to this case through another agency's referral (its first referral
 *                                 in the case was linked to a case it had not opened): the coordinator decides, and
 *                                 the sender learns nothing of the case (issue 10)
 * @param version                  1 for a first referral, n+1 for an update of version n
 * @param supersedes               the referralId this update replaces (same sender), null if not an update
 * @param providersByService       the provider already holding the case for each service through the sender's own
 *                                 earlier referrals (coordinator excluded): the person should not be placed with a
 *                                 second shelter; never another agency's providers
 */
public record CaseLink(String caseId, boolean linkedToExistingCase, boolean joinedAnotherAgencysCase, int version,
                       String supersedes, Map<ServiceCode, String> providersByService) {

    public CaseLink {
        providersByService = Map.copyOf(providersByService);
    }

    public boolean isUpdate() {
        return supersedes != null;
    }

    /** Whether deliveries should prefer the providers already holding the case (the sender's own). */
    public boolean joinsEarlierReferrals() {
        return (linkedToExistingCase || isUpdate()) && !joinedAnotherAgencysCase;
    }
}
