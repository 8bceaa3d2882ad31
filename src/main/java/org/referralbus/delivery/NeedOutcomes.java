package org.referralbus.delivery;

import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Map;
import org.referralbus.delivery.NeedLedger.HistoryRow;
import org.referralbus.statistics.Outcome;
import org.referralbus.statistics.PastOutcomes;
import org.springframework.stereotype.Component;

/**
 * A referral's outcome as its needs' history tells it: the strongest state any need reached, and when each outcome
 * was first reached while it strengthened the referral's (as {@code ReferralFacts} times them as answers come in).
 */
@Component
class NeedOutcomes implements PastOutcomes {

    private final NeedLedger needs;

    NeedOutcomes(NeedLedger needs) {
        this.needs = needs;
    }

    @Override
    public PastOutcome of(String sender, String referralId) {
        Outcome outcome = Outcome.PENDING;
        Map<Outcome, OffsetDateTime> reached = new EnumMap<>(Outcome.class);
        for (HistoryRow row : needs.history(sender, referralId)) { // in the order the rows were written
            Outcome level = switch (row.state()) {
                case ACCEPTED, CLOSED -> Outcome.ACCEPTED; // a closed case was accepted first
                case ESCALATED -> Outcome.ESCALATED;
                case DECLINED -> Outcome.DECLINED;
                case ROUTED, DELIVERED -> Outcome.PENDING;
            };
            if (level.compareTo(outcome) > 0) {
                outcome = level;
                reached.put(level, row.at());
            }
        }
        return new PastOutcome(outcome, reached.get(Outcome.ACCEPTED), reached.get(Outcome.DECLINED),
                reached.get(Outcome.ESCALATED));
    }
}
