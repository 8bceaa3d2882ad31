package org.referralbus.delivery;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.dedupe.CaseCorrections;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.envelope.AdmittedEnvelope;
import org.referralbus.routing.Assignment;
import org.referralbus.routing.Provider;
import org.referralbus.routing.ProviderRegistry;
import org.referralbus.routing.RoutingDecision;
import org.referralbus.routing.RoutingRule;
import org.referralbus.schema.referral.ServiceCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells the providers holding a case that the coordinator merged or split it, with the mechanism of the coordinator's
 * {@code LINKED_CASE} copy: each provider holding a need of a referral (routed, delivered or accepted; the
 * coordinator left out) gets a fresh copy of that referral in its own need-to-know view, rule {@code case-notice},
 * {@code <reason>} saying what happened and {@code <linkedCase>} the case it is in now. The copy owns no need, so no
 * deadline or re-routing follows from it. Not told, and reported (the coordinator's answer, and a
 * {@code CASE_NOTICE_NOT_SENT} row per provider): a provider that no copy of the referral ever gave a case id
 * ({@link DeliveryLedger#providersGivenTheCase}; the notice would tell it that the bus holds another referral of its
 * client), and a provider out of standing (its certificate revoked or expired, {@code ProviderRegistry#mayRoute}),
 * which gets nothing new, like a new referral. Served by the {@code case-notice} route, whose steps are below.
 */
@Component
public class CaseNotices {

    private static final Logger LOG = LoggerFactory.getLogger(CaseNotices.class);
    private static final Set<NeedLedger.NeedState> HOLDING =
            EnumSet.of(NeedLedger.NeedState.ROUTED, NeedLedger.NeedState.DELIVERED, NeedLedger.NeedState.ACCEPTED);

    /** What the providers were told: one line per copy sent, and the providers not told with why. */
    public record Told(List<CaseNotice> sent, List<NotTold> notTold) {
    }

    /** Why a provider was not told; {@link #code()} is what the coordinator's answer and the trail show. */
    public enum Why {
        /** No copy of the referral it received named a case: a notice would tell it that another case of its client existed. */
        NEVER_GIVEN_THE_CASE("never-given-the-case"),
        /** Its certificate is revoked or expired: nothing new is sealed for a key the bus no longer accepts. */
        OUT_OF_STANDING("out-of-standing"),
        /** The copy failed ({@code not-sent:<error code>}): the envelope erased, the provider gone from the registry, ... */
        NOT_SENT("not-sent");

        private final String code;

        Why(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** @param failure the error of a copy that failed ({@link Why#NOT_SENT}), else null */
    public record NotTold(CaseNotice notice, Why why, ErrorCode failure) {

        /** {@code never-given-the-case}, {@code out-of-standing} or {@code not-sent:<error code>}. */
        public String because() {
            return failure == null ? why.code() : why.code() + ":" + failure.code();
        }
    }

    private final NeedLedger needs;
    private final DeliveryLedger deliveries;
    private final ReferralLedger referrals;
    private final ProviderRegistry registry;
    private final ProducerTemplate flow;
    private final AuditTrail audit;

    CaseNotices(NeedLedger needs, DeliveryLedger deliveries, ReferralLedger referrals, ProviderRegistry registry,
                ProducerTemplate flow, AuditTrail audit) {
        this.needs = needs;
        this.deliveries = deliveries;
        this.referrals = referrals;
        this.registry = registry;
        this.flow = flow;
        this.audit = audit;
    }

    /** After the correction committed: a failed copy leaves the correction standing and is reported, ids only. */
    public Told tell(List<CaseCorrections.Affected> affected) {
        List<CaseNotice> sent = new ArrayList<>();
        List<NotTold> notTold = new ArrayList<>();
        for (CaseCorrections.Affected referral : affected) {
            List<CaseNotice> notices = noticesFor(referral);
            Set<String> given = notices.isEmpty() ? Set.of()
                    : deliveries.providersGivenTheCase(referral.sender(), referral.referralId(), referral.linkedToExistingCase());
            for (CaseNotice notice : notices) {
                NotTold untold = given.contains(notice.providerId()) ? send(notice) : new NotTold(notice, Why.NEVER_GIVEN_THE_CASE, null);
                if (untold == null) {
                    sent.add(notice);
                } else {
                    notTold.add(untold);
                }
            }
        }
        audit.recordAll(notTold.stream().map(this::audited).toList());
        return new Told(sent, notTold);
    }

    /** Sends the notice; null once sent, else why not. */
    private NotTold send(CaseNotice notice) {
        if (registry.find(notice.providerId()).filter(provider -> !registry.mayRoute(provider)).isPresent()) {
            // Revoked or expired (ProviderStanding): no new copy is sealed for a key the bus no longer accepts, which
            // may be a compromised one; the coordinator sees it among the providers not told and can tell it otherwise.
            LOG.warn("Case notice for referral {} to {} not sent: its certificate is no longer accepted",
                    notice.referralId(), notice.providerId());
            return new NotTold(notice, Why.OUT_OF_STANDING, null);
        }
        Exception failure = flow.send(Flow.Endpoints.CASE_NOTICE, exchange -> exchange.getIn().setBody(notice)).getException();
        if (failure == null) {
            return null;
        }
        ErrorCode code = ReferralBusException.codeOf(failure);
        LOG.warn("Case notice for referral {} to {} not sent: {}", notice.referralId(), notice.providerId(), code.code());
        return new NotTold(notice, Why.NOT_SENT, code);
    }

    private AuditEvent audited(NotTold untold) {
        CaseNotice notice = untold.notice();
        return AuditEvent.of(AuditEventType.CASE_NOTICE_NOT_SENT, notice.referralId(), audit.busActor())
                .withCounterpart(notice.providerId()).withDetail("case:" + notice.caseId() + ";not-told:" + untold.because());
    }

    /** The providers holding a need of the referral (routed, delivered or accepted), the coordinator left out. */
    List<CaseNotice> noticesFor(CaseCorrections.Affected referral) {
        Map<String, List<ServiceCode>> held = new LinkedHashMap<>();
        for (NeedLedger.NeedRow need : needs.needs(referral.sender(), referral.referralId())) {
            if (HOLDING.contains(need.state()) && !registry.coordinator().id().equals(need.providerId())) {
                held.computeIfAbsent(need.providerId(), p -> new ArrayList<>()).add(ServiceCode.fromValue(need.service()));
            }
        }
        List<CaseNotice> notices = new ArrayList<>();
        held.forEach((provider, services) -> notices.add(new CaseNotice(referral.sender(), referral.referralId(), provider,
                services, referral.caseId(), referral.reason())));
        return notices;
    }

    /** Route step: the sender's sealed envelope kept in the database (gone after an erasure: then nobody is told). */
    public AdmittedEnvelope storedEnvelope(@Body CaseNotice notice) {
        return referrals.sealedEnvelope(notice.sender(), notice.referralId()).orElseThrow(() ->
                new ReferralBusException(ErrorCode.NOT_FOUND, "No stored envelope for referral " + notice.referralId()));
    }

    /** Route step: the case as the copy names it. */
    public CaseLink caseLink(@ExchangeProperty(Flow.Properties.CASE_NOTICE) CaseNotice notice) {
        return new CaseLink(notice.caseId(), true, false, 1, null, Map.of());
    }

    /** Route step: one copy for the provider, owning nothing. */
    public RoutingDecision address(@ExchangeProperty(Flow.Properties.CASE_NOTICE) CaseNotice notice) {
        Provider provider = registry.find(notice.providerId()).orElseThrow(() ->
                new ReferralBusException(ErrorCode.NOT_FOUND, "Provider " + notice.providerId() + " is no longer registered"));
        return new RoutingDecision(List.of(new Assignment(provider, notice.services(), List.of(),
                List.of(RoutingRule.copy(RoutingRule.Kind.CASE_NOTICE)), List.of(notice.reason()))));
    }
}
