package org.referralbus.dedupe;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Flow step after referral dedupe: puts the referral in a case. An update ({@code header/supersedes}) joins the
 * case of the referral it supersedes as its next version; any other referral joins the case of the same person if
 * the person keys match ({@link PersonMatcher}), else opens a new case. The choice is stored once, so a retry or a
 * second instance reuses it. Audits {@code LINKED} with ids only and returns the {@link CaseLink} for routing. A
 * referral that reached the case through another agency's referral is marked so: routing then hands it to the
 * coordinator.
 */
@Component
public class CaseLinking {

    private final ReferralLedger cases;
    private final CaseProviders caseProviders;
    private final PersonKeyStore personKeys;
    private final PersonKeyScheme scheme;
    private final AuditTrail audit;
    private final Clock clock;
    private final TransactionTemplate transaction;

    CaseLinking(ReferralLedger cases, CaseProviders caseProviders, PersonKeyStore personKeys, PersonKeyScheme scheme,
                AuditTrail audit, Clock clock, PlatformTransactionManager transactions) {
        this.cases = cases;
        this.caseProviders = caseProviders;
        this.personKeys = personKeys;
        this.scheme = scheme;
        this.audit = audit;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    public CaseLink link(@ExchangeProperty(Flow.Properties.REFERRAL) Referral referral) {
        String sender = referral.sender();
        String referralId = referral.referralId();
        PersonKeys keys = scheme.keysFor(PersonIdentity.of(referral.document().getPerson(), referral.createdAt()));
        ReferralLedger.CaseRow row = cases.findCase(sender, referralId).orElseThrow(() ->
                new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Referral row missing before case linking"));
        if (row.caseId() == null) {
            ReferralLedger.CaseRow chosen = choose(referral, keys);
            // The case and its LINKED event commit together: after a crash between them a retry finds the case set.
            transaction.executeWithoutResult(status -> {
                if (cases.assignCase(sender, referralId, chosen) && chosen.caseId() != null) {
                    auditLink(referralId, chosen);
                }
            });
            row = cases.findCase(sender, referralId).orElseThrow();
        }
        personKeys.remember(keys.stored().keySet(), row.caseId(), OffsetDateTime.now(clock));
        return new CaseLink(row.caseId(), row.linkedToExistingCase(),
                cases.joinedAnotherAgencysCase(row.caseId(), sender), row.version(), row.supersedes(),
                caseProviders.firstProviderPerService(sender, cases.othersInCase(row.caseId(), sender, referralId)));
    }

    private ReferralLedger.CaseRow choose(Referral referral, PersonKeys keys) {
        String supersedes = supersedes(referral);
        if (supersedes != null) {
            ReferralLedger.CaseRow earlier = cases.findCase(referral.sender(), supersedes)
                    .filter(r -> r.caseId() != null)
                    .orElseThrow(() -> SupersedesCheck.unknown(referral.referralId()));
            return new ReferralLedger.CaseRow(earlier.caseId(), earlier.linkedToExistingCase(), earlier.version() + 1, supersedes);
        }
        return PersonMatcher.bestCase(personKeys.agreeingByCase(keys.probes()))
                .map(caseId -> new ReferralLedger.CaseRow(caseId, true, 1, null))
                .orElseGet(() -> new ReferralLedger.CaseRow(newCaseId(referral), false, 1, null));
    }

    private void auditLink(String referralId, ReferralLedger.CaseRow chosen) {
        if (chosen.supersedes() != null) {
            audit.record(AuditEvent.of(AuditEventType.LINKED, referralId, audit.busActor()).withDetail(
                    "case:" + chosen.caseId() + ";supersedes:" + chosen.supersedes() + ";version:" + chosen.version()));
        } else if (chosen.linkedToExistingCase()) {
            audit.record(AuditEvent.of(AuditEventType.LINKED, referralId, audit.busActor()).withDetail("case:" + chosen.caseId()));
        }
    }

    static String supersedes(Referral referral) {
        String value = referral.document().getHeader().getSupersedes();
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    /** Deterministic, so a retry after a crash opens the same case; reveals nothing about the person. */
    private static String newCaseId(Referral referral) {
        return UUID.nameUUIDFromBytes(("case\n" + referral.sender() + "\n" + referral.referralId())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
