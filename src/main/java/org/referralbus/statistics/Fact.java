package org.referralbus.statistics;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The aggregable attributes of one referral, as {@code referral_facts} keeps them: codes that many people share, the
 * age only as its band, the person only as the bus's case id. Multi-valued attributes (exploitation types, services)
 * are lists of codes; an empty list means none was given.
 *
 * <p>{@code outcome} is where the referral stands now; {@code acceptedAt}, {@code declinedAt} and {@code escalatedAt}
 * say when it first reached each outcome (null if it never did, or went straight to a stronger one), so that
 * {@link #asOf} can tell where it stood at any earlier moment.
 */
public record Fact(String sender, String referralId, String caseId, OffsetDateTime receivedAt, String category,
                   List<String> exploitation, String sex, String ageBand, String nationality, String region,
                   List<String> services, Outcome outcome, OffsetDateTime acceptedAt, OffsetDateTime declinedAt,
                   OffsetDateTime escalatedAt) {

    public Fact {
        exploitation = List.copyOf(exploitation);
        services = List.copyOf(services);
    }

    /** A fact whose only outcome time known is the first acceptance's (the others count from receipt, {@link #reachedAt}). */
    public Fact(String sender, String referralId, String caseId, OffsetDateTime receivedAt, String category,
                List<String> exploitation, String sex, String ageBand, String nationality, String region,
                List<String> services, Outcome outcome, OffsetDateTime acceptedAt) {
        this(sender, referralId, caseId, receivedAt, category, exploitation, sex, ageBand, nationality, region, services,
                outcome, acceptedAt, null, null);
    }

    /** From receipt to the first acceptance by a provider; null if no provider accepted (yet). */
    public Duration timeToAcceptance() {
        return acceptedAt == null ? null : Duration.between(receivedAt, acceptedAt);
    }

    /**
     * This referral as it stood at {@code cutOff}: the strongest outcome reached by then, and only the outcome times
     * up to then (an acceptance after the cut-off is neither counted nor timed).
     */
    Fact asOf(OffsetDateTime cutOff) {
        Outcome then = Outcome.PENDING;
        for (Outcome candidate : Outcome.values()) {
            OffsetDateTime at = reachedAt(candidate);
            if (at != null && !at.isAfter(cutOff)) {
                then = candidate;
            }
        }
        return new Fact(sender, referralId, caseId, receivedAt, category, exploitation, sex, ageBand, nationality, region,
                services, then, upTo(acceptedAt, cutOff), upTo(declinedAt, cutOff), upTo(escalatedAt, cutOff));
    }

    /**
     * When the referral first reached {@code level}; null if it did not. The outcome it holds now counts as reached
     * at receipt where its time is not known (facts stored before migration V24 whose needs' history did not tell).
     */
    OffsetDateTime reachedAt(Outcome level) {
        if (level.outranks(outcome)) {
            return null;
        }
        OffsetDateTime at = switch (level) {
            case PENDING -> receivedAt;
            case DECLINED -> declinedAt;
            case ESCALATED -> escalatedAt;
            case ACCEPTED -> acceptedAt;
        };
        return at == null && level == outcome ? receivedAt : at;
    }

    private static OffsetDateTime upTo(OffsetDateTime at, OffsetDateTime cutOff) {
        return at != null && !at.isAfter(cutOff) ? at : null;
    }

    /** The person counted: the case, or the referral itself where no case was recorded. */
    String person() {
        return caseId != null ? caseId : sender + "/" + referralId;
    }
}
