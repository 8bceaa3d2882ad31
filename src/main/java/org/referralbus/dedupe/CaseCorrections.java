package org.referralbus.dedupe;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The coordinator corrects the machine (issue 16): merges two cases or splits a wrongly linked referral (with its own
 * updates) out of its case. Referral rows, person encodings, legacy keys, the correction's record and one audit event
 * per moved referral ({@code CASES_MERGED}, {@code CASE_SPLIT}, detail {@code case:<now>;from:<before>;rule:coordinator})
 * change in one transaction, under the case opening lock ({@link CaseOpeningLock}: a referral being linked on any node
 * waits, then sees the corrected cases). Ids only: nothing here reads a name. Telling the providers is the caller's next step
 * ({@link Corrected#affected()}).
 */
@Component
public class CaseCorrections {

    public enum Kind { MERGE, SPLIT }

    /**
     * One correction. For a merge {@code caseId} is the case kept and {@code otherCaseId} the case merged into it; for a
     * split {@code caseId} is the case the referral left and {@code otherCaseId} the new case it now forms.
     */
    public record Correction(Kind kind, String caseId, String otherCaseId, String sender, String referralId,
                             String coordinator, OffsetDateTime at) {
    }

    /** A case as the coordinator sees it: its referrals with the rule and score that put each there, and its corrections. */
    public record CaseView(String caseId, List<ReferralLedger.CaseMember> referrals, List<Correction> corrections) {
    }

    /**
     * A referral whose case changed: its providers are told {@code reason}, with {@code caseId}.
     *
     * @param linkedToExistingCase whether it joined a case another referral opened, as recorded when it was routed: then
     *                             its {@code linked-case} copies named that case
     */
    public record Affected(String sender, String referralId, String caseId, String reason, boolean linkedToExistingCase) {
    }

    /** What a merge or split did: {@code moved} referrals, and every referral whose providers should hear of it. */
    public record Corrected(Correction correction, List<ReferralLedger.CaseMember> moved, List<Affected> affected) {
    }

    private final ReferralLedger referrals;
    private final PersonEncodingStore encodings;
    private final PersonKeyStore legacyKeys;
    private final CaseCorrectionStore corrections;
    private final CaseOpeningLock openingLock;
    private final AuditTrail audit;
    private final Clock clock;
    private final TransactionTemplate transaction;

    CaseCorrections(ReferralLedger referrals, PersonEncodingStore encodings, PersonKeyStore legacyKeys,
                    CaseCorrectionStore corrections, CaseOpeningLock openingLock, AuditTrail audit, Clock clock,
                    PlatformTransactionManager transactions) {
        this.referrals = referrals;
        this.encodings = encodings;
        this.legacyKeys = legacyKeys;
        this.corrections = corrections;
        this.openingLock = openingLock;
        this.audit = audit;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    public CaseView view(String caseId) {
        return new CaseView(caseId, existing(caseId), corrections.of(caseId));
    }

    /** The case a sender's referral is in, if the bus has it (a referral that opened a case is named nowhere else). */
    public Optional<String> caseOf(String sender, String referralId) {
        return referrals.findCase(sender, referralId).map(ReferralLedger.CaseRow::caseId).filter(Objects::nonNull);
    }

    /** Merges {@code otherCaseId} into {@code caseId}, which is kept. */
    public Corrected merge(String coordinator, String caseId, String otherCaseId) {
        if (caseId.equals(otherCaseId)) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "A case cannot be merged with itself: give another case id");
        }
        return transaction.execute(status -> {
            openingLock.holdUntilCommit(); // no referral is linked to either case while they move
            existing(caseId); // the case kept must exist too
            List<ReferralLedger.CaseMember> moved = existing(otherCaseId);
            Correction correction = new Correction(Kind.MERGE, caseId, otherCaseId, null, null, coordinator, OffsetDateTime.now(clock));
            referrals.moveCase(otherCaseId, caseId);
            encodings.moveCase(otherCaseId, caseId);
            legacyKeys.moveCase(otherCaseId, caseId);
            corrections.record(correction);
            for (ReferralLedger.CaseMember member : moved) {
                audit.record(AuditEvent.of(AuditEventType.CASES_MERGED, member.referralId(), coordinator)
                        .withDetail(detail(caseId, otherCaseId)));
            }
            // Only the moved referrals' providers: for the others nothing changed, and a notice would only tell them
            // that someone else referred their client (an outside walkthrough read it so).
            List<Affected> affected = new ArrayList<>();
            String reason = "CASES_MERGED:" + otherCaseId;
            for (ReferralLedger.CaseMember member : moved) {
                affected.add(new Affected(member.sender(), member.referralId(), caseId, reason, member.linkedToExistingCase()));
            }
            return new Corrected(correction, moved, affected);
        });
    }

    /**
     * Splits {@code referralId} (of {@code sender}, which may be null while the id is unique in the case) out of
     * {@code caseId} into a new case, with the updates of it that its sender filed later.
     */
    public Corrected split(String coordinator, String caseId, String sender, String referralId) {
        return transaction.execute(status -> {
            openingLock.holdUntilCommit(); // no referral is linked to the case while it is split
            List<ReferralLedger.CaseMember> members = existing(caseId);
            List<ReferralLedger.CaseMember> named = members.stream().filter(m -> m.referralId().equals(referralId)
                    && (sender == null || m.sender().equals(sender))).toList();
            if (named.isEmpty()) {
                throw new ReferralBusException(ErrorCode.REFERRAL_NOT_IN_CASE,
                        "Referral " + referralId + " is not in case " + caseId + ": look the case up and name one of its referrals");
            }
            if (named.size() > 1) {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST,
                        "Two senders filed referral " + referralId + " in case " + caseId + ": name the sender too");
            }
            List<ReferralLedger.CaseMember> moved = withLaterVersions(named.get(0), members);
            if (moved.size() == members.size()) {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST,
                        "Referral " + referralId + " and its updates are all of case " + caseId + ": there is nothing to split it from");
            }
            String newCaseId = UUID.randomUUID().toString();
            Correction correction = new Correction(Kind.SPLIT, caseId, newCaseId, named.get(0).sender(), referralId,
                    coordinator, OffsetDateTime.now(clock));
            for (ReferralLedger.CaseMember member : moved) {
                referrals.moveReferral(member.sender(), member.referralId(), caseId, newCaseId);
                encodings.moveOrigin(CaseLinking.origin(member.sender(), member.referralId()), newCaseId);
                audit.record(AuditEvent.of(AuditEventType.CASE_SPLIT, member.referralId(), coordinator)
                        .withDetail(detail(newCaseId, caseId)));
            }
            corrections.record(correction);
            List<Affected> affected = new ArrayList<>(); // as for a merge: only the referrals whose case changed
            for (ReferralLedger.CaseMember member : moved) {
                affected.add(new Affected(member.sender(), member.referralId(), newCaseId, "CASE_SPLIT:" + caseId,
                        member.linkedToExistingCase()));
            }
            return new Corrected(correction, moved, affected);
        });
    }

    private List<ReferralLedger.CaseMember> existing(String caseId) {
        List<ReferralLedger.CaseMember> members = referrals.members(caseId);
        if (members.isEmpty()) {
            throw new ReferralBusException(ErrorCode.NOT_FOUND, "No case " + caseId + ": check the case id");
        }
        return members;
    }

    /** The referral and every update of it (same sender, {@code supersedes} chain) in the case. */
    private static List<ReferralLedger.CaseMember> withLaterVersions(ReferralLedger.CaseMember first,
                                                                     List<ReferralLedger.CaseMember> members) {
        Set<ReferralLedger.CaseMember> chain = new LinkedHashSet<>(List.of(first));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ReferralLedger.CaseMember member : members) {
                boolean updatesChain = member.supersedes() != null && member.sender().equals(first.sender())
                        && chain.stream().anyMatch(c -> c.referralId().equals(member.supersedes()));
                if (updatesChain && chain.add(member)) {
                    grew = true;
                }
            }
        }
        return List.copyOf(chain);
    }

    private static String detail(String now, String before) {
        return "case:" + now + ";from:" + before + ";rule:" + LinkRule.COORDINATOR.code();
    }
}
