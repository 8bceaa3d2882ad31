package org.referralbus.dedupe;

import org.springframework.stereotype.Component;

/**
 * What a sender may learn about its own referral's case: only whether it joined a case that the sender's own earlier
 * referrals are part of (which it knows anyway). Never that another agency referred the person, nor who, nor the
 * other referrals of the case: a referral linked to another agency's case reads as not linked (issue 10). The
 * coordinator learns the link from its delivery ({@code linkedCase}, reason {@code LINKED_CASE}), auditors from the
 * {@code LINKED} audit row.
 */
@Component
public class CaseLinks {

    private final CaseLedger cases;

    CaseLinks(CaseLedger cases) {
        this.cases = cases;
    }

    /** For the sender's status document ({@code "linkedToExistingCase"}); false for an unknown referral. */
    public boolean isLinkedToExistingCase(String sender, String referralId) {
        return cases.find(sender, referralId)
                .filter(CaseLedger.CaseRow::linkedToExistingCase)
                .map(row -> !cases.joinedAnotherAgencysCase(row.caseId(), sender))
                .orElse(false);
    }
}
