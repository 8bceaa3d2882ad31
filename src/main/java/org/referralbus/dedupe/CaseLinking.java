package org.referralbus.dedupe;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.Uuids;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Flow step after referral dedupe: puts the referral in a case. An update ({@code header/supersedes}) joins the
 * case of the referral it supersedes as its next version; any other referral joins the case of the same person if
 * the hardened encodings match ({@link PersonLinker}, {@link SimilarityMatcher}), else opens a new case. The rule and
 * score of a person link are stored with the referral and audited. The choice is stored once, so a retry or a
 * second instance reuses it. Audits {@code LINKED} with ids only and returns the {@link CaseLink} for routing. A
 * referral that reached the case through another agency's referral is marked so: routing then hands it to the
 * coordinator.
 */
@Component
public class CaseLinking {

    private final ReferralLedger cases;
    private final CaseProviders caseProviders;
    private final PersonLinker linker;
    private final CaseCorrectionStore corrections;
    private final CaseOpeningLock openingLock;
    private final AuditTrail audit;
    private final Clock clock;
    private final TransactionTemplate transaction;

    CaseLinking(ReferralLedger cases, CaseProviders caseProviders, PersonLinker linker, CaseCorrectionStore corrections,
                CaseOpeningLock openingLock, AuditTrail audit, Clock clock, PlatformTransactionManager transactions) {
        this.cases = cases;
        this.caseProviders = caseProviders;
        this.linker = linker;
        this.corrections = corrections;
        this.openingLock = openingLock;
        this.audit = audit;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    public CaseLink link(@ExchangeProperty(Flow.Properties.REFERRAL) Referral referral) {
        String sender = referral.sender();
        String referralId = referral.referralId();
        PersonIdentity person = PersonIdentity.of(referral.document().getPerson(), referral.createdAt());
        ReferralLedger.CaseRow row = cases.findCase(sender, referralId).orElseThrow(() ->
                new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Referral row missing before case linking"));
        PersonLinker.Encoded encoded = linker.encode(person); // outside the lock: other choices need not wait for the hashing
        if (row.caseId() != null) {
            String caseId = row.caseId();
            // One commit for the refresh, the retry check and the new encodings with their blocks, not one per statement.
            transaction.executeWithoutResult(status -> linker.remember(encoded, caseId, origin(sender, referralId), OffsetDateTime.now(clock)));
            return withEarlierReferrals(row, sender, referralId);
        }
        // The choice, the case, its LINKED event and the encodings commit together under the case opening lock: a
        // referral of the same person on another node waits, then finds this case (issue 14). After a crash before
        // the commit a retry finds nothing set and chooses again. Every node waits for this lock, so the transaction
        // asks the database nothing it already knows (on PostgreSQL each question is a round trip).
        Chosen chosen = transaction.execute(status -> {
            openingLock.holdUntilCommit();
            Choice choice = choose(referral, encoded);
            String origin = origin(sender, referralId);
            OffsetDateTime now = OffsetDateTime.now(clock);
            if (!cases.assignCase(sender, referralId, choice.row(), choice.decision())) {
                // An earlier attempt or another node chose while this one waited: its choice stands, and it may have
                // stored these encodings already.
                ReferralLedger.CaseRow stored = cases.findCase(sender, referralId).orElseThrow();
                linker.remember(encoded, stored.caseId(), origin, now);
                return new Chosen(stored, false);
            }
            if (choice.opensCase()) {
                linker.rememberInNewCase(encoded, choice.row().caseId(), origin, now);
            } else {
                linker.remember(encoded, choice.row().caseId(), origin, now);
            }
            auditLink(referralId, choice); // last: the audit head stays locked only from here to the commit
            return new Chosen(choice.row(), choice.opensCase());
        });
        if (chosen.opened()) {
            // The sender's only referral in a case it opened: no earlier providers, and not another agency's case. Asked
            // after the commit, a referral that joined the case meanwhile could have answered instead.
            return new CaseLink(chosen.row().caseId(), false, false, chosen.row().version(), null, java.util.Map.of());
        }
        return withEarlierReferrals(chosen.row(), sender, referralId);
    }

    /** The link of a referral to a case that already held referrals: whose case it is, and the sender's providers in it. */
    private CaseLink withEarlierReferrals(ReferralLedger.CaseRow row, String sender, String referralId) {
        return new CaseLink(row.caseId(), row.linkedToExistingCase(),
                cases.joinedAnotherAgencysCase(row.caseId(), sender), row.version(), row.supersedes(),
                caseProviders.firstProviderPerService(sender, cases.othersInCase(row.caseId(), sender, referralId)));
    }

    /** What the locked transaction settled: the case row, and whether this referral opened the case. */
    private record Chosen(ReferralLedger.CaseRow row, boolean opened) {
    }

    /** The case row chosen, for a person link the decision that chose it and the other cases the record matched. */
    private record Choice(ReferralLedger.CaseRow row, LinkDecision decision, java.util.Set<String> alsoLinked) {

        Choice(ReferralLedger.CaseRow row, LinkDecision decision) {
            this(row, decision, java.util.Set.of());
        }

        /** The referral matched nobody and supersedes nothing: the case is new. */
        boolean opensCase() {
            return !row.linkedToExistingCase() && row.supersedes() == null;
        }
    }

    private Choice choose(Referral referral, PersonLinker.Encoded person) {
        String supersedes = supersedes(referral);
        if (supersedes != null) {
            ReferralLedger.CaseRow earlier = cases.findCase(referral.sender(), supersedes)
                    .filter(r -> r.caseId() != null)
                    .orElseThrow(() -> SupersedesCheck.unknown(referral.referralId()));
            return new Choice(new ReferralLedger.CaseRow(earlier.caseId(), earlier.linkedToExistingCase(),
                    earlier.version() + 1, supersedes), null);
        }
        return linker.find(person)
                .map(match -> new Choice(new ReferralLedger.CaseRow(match.caseId(), true, 1, null), match.decision(),
                        match.alsoLinked()))
                .orElseGet(() -> new Choice(new ReferralLedger.CaseRow(newCaseId(), false, 1, null), null));
    }

    /**
     * Detail {@code case:<id>;rule:<rule>;score:<x>} for a person link: why, never who; {@code case:<id>;rule:new-case}
     * for a referral that matched nobody. A record that also matched a
     * case the coordinator split from the chosen one gets {@code ;split-from:<other>}: the machine does not silently
     * pick a side of the coordinator's split (the coordinator also receives the referral, reason {@code LINKED_CASE}).
     */
    private void auditLink(String referralId, Choice choice) {
        ReferralLedger.CaseRow chosen = choice.row();
        if (chosen.supersedes() != null) {
            audit.record(AuditEvent.of(AuditEventType.LINKED, referralId, audit.busActor()).withDetail(
                    "case:" + chosen.caseId() + ";supersedes:" + chosen.supersedes() + ";version:" + chosen.version()));
        } else if (chosen.linkedToExistingCase()) {
            java.util.List<String> apart = corrections.splitFrom(chosen.caseId(), choice.alsoLinked());
            audit.record(AuditEvent.of(AuditEventType.LINKED, referralId, audit.busActor())
                    .withDetail("case:" + chosen.caseId() + ";" + choice.decision().detail()
                            + (apart.isEmpty() ? "" : ";split-from:" + String.join(",", apart))));
        } else {
            // Said too, so that the trail names the referral that opened each case, not only those that joined it.
            audit.record(AuditEvent.of(AuditEventType.LINKED, referralId, audit.busActor())
                    .withDetail("case:" + chosen.caseId() + ";rule:" + NEW_CASE));
        }
    }

    /** The rule of a {@code LINKED} row whose referral matched nobody and opened the case. */
    static final String NEW_CASE = "new-case";

    /**
     * Which referral an encoding came from, for a split: a UUID of the ids, nothing about the person. Of the id's one
     * form, so that the same referral id in any case names the same origin.
     */
    static String origin(String sender, String referralId) {
        return UUID.nameUUIDFromBytes(("origin\n" + sender + "\n" + Uuids.key(referralId)).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String supersedes(Referral referral) {
        return Uuids.key(referral.document().getHeader().getSupersedes());
    }

    /**
     * Random: anyone who knew a referral's sender and id (the agency, each provider holding a copy) could compute the
     * name-based id it had, and so tell which referral opened a case wherever the case id appeared. A retry after a
     * crash needs no fixed id: the case is chosen and stored in one transaction, so an interrupted choice left nothing.
     */
    private static String newCaseId() {
        return UUID.randomUUID().toString();
    }
}
