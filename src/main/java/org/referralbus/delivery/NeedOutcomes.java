package org.referralbus.delivery;

import java.time.OffsetDateTime;
import org.referralbus.delivery.NeedLedger.HistoryRow;
import org.referralbus.delivery.NeedLedger.NeedState;
import org.referralbus.statistics.Outcome;
import org.referralbus.statistics.PastOutcomes;
import org.springframework.stereotype.Component;

/** A referral's outcome as its needs' history tells it: the strongest state any need reached, and the first acceptance. */
@Component
class NeedOutcomes implements PastOutcomes {

    private final NeedLedger needs;

    NeedOutcomes(NeedLedger needs) {
        this.needs = needs;
    }

    @Override
    public PastOutcome of(String sender, String referralId) {
        Outcome outcome = Outcome.PENDING;
        OffsetDateTime acceptedAt = null;
        for (HistoryRow row : needs.history(sender, referralId)) {
            Outcome reached = switch (row.state()) {
                case ACCEPTED, CLOSED -> Outcome.ACCEPTED; // a closed case was accepted first
                case ESCALATED -> Outcome.ESCALATED;
                case DECLINED -> Outcome.DECLINED;
                case ROUTED, DELIVERED -> Outcome.PENDING;
            };
            if (row.state() == NeedState.ACCEPTED && (acceptedAt == null || row.at().isBefore(acceptedAt))) {
                acceptedAt = row.at();
            }
            if (reached.compareTo(outcome) > 0) {
                outcome = reached;
            }
        }
        return new PastOutcome(outcome, acceptedAt);
    }
}
