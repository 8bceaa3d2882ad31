package org.referralbus.dedupe;

import org.springframework.stereotype.Component;

/**
 * What a sender may learn about its own referral's case: only whether it joined a case that already existed.
 * Never which agency referred the person first, nor the other referrals of the case.
 */
@Component
public class CaseLinks {

    private final CaseLedger cases;

    CaseLinks(CaseLedger cases) {
        this.cases = cases;
    }

    /** For the sender's status document ({@code "linkedToExistingCase"}); false for an unknown referral. */
    public boolean isLinkedToExistingCase(String sender, String referralId) {
        return cases.find(sender, referralId).map(CaseLedger.CaseRow::linkedToExistingCase).orElse(false);
    }
}
