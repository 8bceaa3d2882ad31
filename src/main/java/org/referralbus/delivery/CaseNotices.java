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
 * deadline or re-routing follows from it. A provider out of standing (its certificate revoked or expired,
 * {@code ProviderRegistry#mayRoute}) is not sent one, like a new referral: it is reported among the copies not sent.
 * Served by the {@code case-notice} route, whose steps are below.
 */
@Component
public class CaseNotices {

    private static final Logger LOG = LoggerFactory.getLogger(CaseNotices.class);
    private static final Set<NeedLedger.NeedState> HOLDING =
            EnumSet.of(NeedLedger.NeedState.ROUTED, NeedLedger.NeedState.DELIVERED, NeedLedger.NeedState.ACCEPTED);

    /** What the providers were told: one line per copy sent, and the copies that could not be sent. */
    public record Told(List<CaseNotice> sent, List<CaseNotice> failed) {
    }

    private final NeedLedger needs;
    private final ReferralLedger referrals;
    private final ProviderRegistry registry;
    private final ProducerTemplate flow;

    CaseNotices(NeedLedger needs, ReferralLedger referrals, ProviderRegistry registry, ProducerTemplate flow) {
        this.needs = needs;
        this.referrals = referrals;
        this.registry = registry;
        this.flow = flow;
    }

    /** After the correction committed: a failed copy leaves the correction standing and is reported, ids only. */
    public Told tell(List<CaseCorrections.Affected> affected) {
        List<CaseNotice> sent = new ArrayList<>();
        List<CaseNotice> failed = new ArrayList<>();
        for (CaseNotice notice : noticesFor(affected)) {
            if (registry.find(notice.providerId()).filter(provider -> !registry.mayRoute(provider)).isPresent()) {
                // Revoked or expired (ProviderStanding): no new copy is sealed for a key the bus no longer accepts, which
                // may be a compromised one; the coordinator sees it among the copies not sent and can tell it otherwise.
                LOG.warn("Case notice for referral {} to {} not sent: its certificate is no longer accepted",
                        notice.referralId(), notice.providerId());
                failed.add(notice);
                continue;
            }
            Exception failure = flow.send(Flow.Endpoints.CASE_NOTICE, exchange -> exchange.getIn().setBody(notice)).getException();
            if (failure == null) {
                sent.add(notice);
            } else {
                LOG.warn("Case notice for referral {} to {} not sent: {}", notice.referralId(), notice.providerId(),
                        ReferralBusException.codeOf(failure).code());
                failed.add(notice);
            }
        }
        return new Told(sent, failed);
    }

    List<CaseNotice> noticesFor(List<CaseCorrections.Affected> affected) {
        List<CaseNotice> notices = new ArrayList<>();
        for (CaseCorrections.Affected referral : affected) {
            Map<String, List<ServiceCode>> held = new LinkedHashMap<>();
            for (NeedLedger.NeedRow need : needs.needs(referral.sender(), referral.referralId())) {
                if (HOLDING.contains(need.state()) && !registry.coordinator().id().equals(need.providerId())) {
                    held.computeIfAbsent(need.providerId(), p -> new ArrayList<>()).add(ServiceCode.fromValue(need.service()));
                }
            }
            held.forEach((provider, services) -> notices.add(new CaseNotice(referral.sender(), referral.referralId(), provider,
                    services, referral.caseId(), referral.reason())));
        }
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
