package org.referralbus.statistics;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The aggregable attributes of one referral, as {@code referral_facts} keeps them: codes that many people share, the
 * age only as its band, the person only as the bus's case id. Multi-valued attributes (exploitation types, services)
 * are lists of codes; an empty list means none was given.
 */
public record Fact(String sender, String referralId, String caseId, OffsetDateTime receivedAt, String category,
                   List<String> exploitation, String sex, String ageBand, String nationality, String region,
                   List<String> services, Outcome outcome, OffsetDateTime acceptedAt) {

    public Fact {
        exploitation = List.copyOf(exploitation);
        services = List.copyOf(services);
    }

    /** From receipt to the first acceptance by a provider; null if no provider accepted (yet). */
    public Duration timeToAcceptance() {
        return acceptedAt == null ? null : Duration.between(receivedAt, acceptedAt);
    }

    /** The person counted: the case, or the referral itself where no case was recorded. */
    String person() {
        return caseId != null ? caseId : sender + "/" + referralId;
    }
}
