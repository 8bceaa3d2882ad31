package org.referralbus.dedupe;

import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.validation.Referral;

/**
 * An update must name an earlier referral of the same sender that the bus has already filed in a case. One answer
 * ({@code supersedes_unknown}, 409) for "never received", "another agency's" and "still being processed", so an
 * agency cannot probe for other agencies' referral ids; 409 because retrying after the original is through succeeds.
 */
final class SupersedesCheck {

    private SupersedesCheck() {
    }

    static void check(Referral referral, CaseLedger cases) {
        String supersedes = CaseLinking.supersedes(referral);
        if (supersedes == null) {
            return;
        }
        boolean filed = !supersedes.equals(referral.referralId()) && cases.find(referral.sender(), supersedes)
                .filter(row -> row.caseId() != null).isPresent();
        if (!filed) {
            throw unknown(referral.referralId());
        }
    }

    static ReferralBusException unknown(String referralId) {
        return new ReferralBusException(ErrorCode.SUPERSEDES_UNKNOWN,
                "Referral " + referralId + " supersedes a referral this sender has not (yet) filed with the bus");
    }
}
