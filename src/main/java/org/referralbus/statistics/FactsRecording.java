package org.referralbus.statistics;

import java.time.OffsetDateTime;
import java.util.List;
import org.apache.camel.ExchangeProperty;
import org.referralbus.core.Flow;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.schema.referral.ExploitationType;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/**
 * Flow step {@code record-facts}, after case linking: keeps the referral's aggregable attributes for statistics
 * ({@link Fact}) and nothing else of it. An update that supersedes an earlier referral is the same referral filed
 * again, not a new one: it records nothing. Leaves the body as it was.
 */
@Component
public class FactsRecording {

    private final ReferralFacts facts;

    FactsRecording(ReferralFacts facts) {
        this.facts = facts;
    }

    public void record(@ExchangeProperty(Flow.Properties.REFERRAL) Referral referral,
                       @ExchangeProperty(Flow.Properties.CASE_LINK) CaseLink link,
                       @ExchangeProperty(Flow.Properties.RECEIVED_AT) OffsetDateTime receivedAt) {
        if (link.isUpdate()) {
            return;
        }
        facts.record(factOf(referral, link.caseId(), receivedAt));
    }

    /** The only place where a referral becomes a {@link Fact}: what is not read here is never stored. */
    static Fact factOf(Referral referral, String caseId, OffsetDateTime receivedAt) {
        ExploitationType exploitation = referral.document().getExploitation();
        List<String> types = exploitation == null ? List.of()
                : exploitation.getType().stream().map(t -> t.value()).distinct().sorted().toList();
        List<String> services = referral.services().stream().map(s -> s.value()).distinct().sorted().toList();
        String nationality = referral.document().getPerson().getNationality();
        return new Fact(referral.sender(), referral.referralId(), caseId, receivedAt, referral.category().value(), types,
                referral.sex().value(), AgeBand.of(referral.ageYears()),
                nationality == null ? "UNKNOWN" : nationality, referral.region().value(), services, Outcome.PENDING, null);
    }
}
