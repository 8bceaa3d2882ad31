package org.referralbus.statistics;

import java.util.Set;
import org.referralbus.core.ReferralBusException;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.dedupe.ReferralLedger.FiledReferral;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.intake.EnvelopeOpening;
import org.referralbus.validation.Referral;
import org.referralbus.validation.ReferralValidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start-up, gives facts to referrals filed before statistics existed (before migration V8), or whose facts a crash
 * lost: their sealed envelopes are opened again in memory exactly as re-routing opens them, and only the codes of
 * {@link FactsRecording#factOf} are kept; the outcome comes from the needs' history. A referral whose envelope no
 * longer opens (a signer certificate since revoked, an envelope already purged) is counted and skipped: the log names
 * counts only, never a referral's content.
 */
@Component
class FactsBackfill {

    private static final Logger log = LoggerFactory.getLogger(FactsBackfill.class);

    private final ReferralLedger referrals;
    private final ReferralFacts facts;
    private final EnvelopeOpening opening;
    private final ReferralValidation validation;
    private final PastOutcomes outcomes;

    FactsBackfill(ReferralLedger referrals, ReferralFacts facts, EnvelopeOpening opening, ReferralValidation validation,
                  PastOutcomes outcomes) {
        this.referrals = referrals;
        this.facts = facts;
        this.opening = opening;
        this.validation = validation;
        this.outcomes = outcomes;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onStart() {
        backfill();
    }

    /** @return how many referrals got facts */
    int backfill() {
        Set<String> recorded = facts.recorded();
        int added = 0;
        int unreadable = 0;
        for (FiledReferral filed : referrals.firstFiledWithEnvelope()) {
            if (recorded.contains(filed.sender() + "/" + filed.referralId())) {
                continue;
            }
            try {
                byte[] sealed = referrals.sealedEnvelope(filed.sender(), filed.referralId()).orElseThrow();
                OpenedEnvelope opened = opening.reopen(sealed);
                Referral referral = validation.revalidate(opened);
                PastOutcomes.PastOutcome past = outcomes.of(filed.sender(), filed.referralId());
                Fact fact = FactsRecording.factOf(referral, filed.caseId(), filed.receivedAt());
                if (facts.record(new Fact(fact.sender(), fact.referralId(), fact.caseId(), fact.receivedAt(), fact.category(),
                        fact.exploitation(), fact.sex(), fact.ageBand(), fact.nationality(), fact.region(), fact.services(),
                        past.outcome(), past.acceptedAt()))) {
                    added++;
                }
            } catch (ReferralBusException | java.util.NoSuchElementException e) {
                unreadable++;
            }
        }
        if (added > 0 || unreadable > 0) {
            log.info("Statistics backfill: facts recorded for {} earlier referrals, {} could not be read again", added, unreadable);
        }
        return added;
    }
}
