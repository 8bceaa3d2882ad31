package org.referralbus.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralContentSha256;
import org.referralbus.core.Sha256;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.routing.Assignment;
import org.referralbus.routing.Provider;
import org.referralbus.routing.ProviderPlaces;
import org.referralbus.routing.RoutingDecision;
import org.referralbus.routing.RoutingRule;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.schema.referral.Urgency;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Flow steps around each provider's copy. {@link #prepareAll} (a new referral's copies) and {@link #prepare} (one
 * copy) seal the need-to-know view for the provider (or reuse the copy an interrupted earlier attempt stored) and
 * record which needs the provider now holds; its delivery
 * id, which the route also sets as the broker's duplicate-detection id, is the same for every retry, so a retry never
 * produces a second delivery. {@link #delivered} records and audits the hand-over once and starts the
 * acknowledgement clock. Each step's rows change in one transaction with its audit event: a crash between them
 * would leave a change that a retry finds done and so never audits.
 */
@Component
public class DeliveryDispatcher {

    private final DeliveryDocuments documents;
    private final DeliveryLedger ledger;
    private final NeedLedger needs;
    private final EnvelopeSealer busSealer;
    private final AuditTrail audit;
    private final DeliveryProperties properties;
    private final Clock clock;
    private final ProviderPlaces places;
    private final TransactionTemplate transaction;

    public DeliveryDispatcher(DeliveryDocuments documents, DeliveryLedger ledger, NeedLedger needs, EnvelopeSealer busSealer,
                              AuditTrail audit, DeliveryProperties properties, Clock clock, ProviderPlaces places,
                              PlatformTransactionManager transactions) {
        this.documents = documents;
        this.ledger = ledger;
        this.needs = needs;
        this.busSealer = busSealer;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
        this.places = places;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * All of a new referral's copies at once, before any leaves: each sealed (outside any transaction), then all of
     * them stored with the needs they take in one transaction, so that one write of the database file (the route's
     * next step) covers every copy before the first is sent. Returns the copies by delivery id, which {@link #prepare}
     * then hands out one by one.
     */
    public Map<String, SealedCopy> prepareAll(@Body RoutingDecision decision,
                                              @ExchangeProperty(Flow.Properties.REFERRAL) Referral referral,
                                              @ExchangeProperty(Flow.Properties.OPENED) OpenedEnvelope opened,
                                              @ExchangeProperty(Flow.Properties.CASE_LINK) CaseLink link) {
        Map<String, SealedCopy> copies = new LinkedHashMap<>();
        store(pending(decision.assignments(), referral, opened, link), referral, decision.auditEvents(referral, AuditEventType.ROUTED))
                .forEach(copy -> copies.put(copy.deliveryId(), copy));
        return copies;
    }

    /**
     * One provider's copy: the one {@link #prepareAll} already stored for this exchange, or (a re-routed copy, a case
     * notice) sealed and stored now.
     *
     * @param link the referral's case for the delivery document, or null (a re-routed copy carries none)
     * @param prepared the copies {@link #prepareAll} stored for this referral, or null
     */
    public SealedCopy prepare(@Body Assignment assignment,
                              @ExchangeProperty(Flow.Properties.REFERRAL) Referral referral,
                              @ExchangeProperty(Flow.Properties.OPENED) OpenedEnvelope opened,
                              @ExchangeProperty(Flow.Properties.CASE_LINK) CaseLink link,
                              @ExchangeProperty(Flow.Properties.SEALED_COPIES) Map<String, SealedCopy> prepared) {
        if (prepared != null) {
            SealedCopy copy = prepared.get(deliveryId(referral, opened.caseBlindContentSha256(), assignment));
            if (copy != null) {
                return copy;
            }
        }
        return store(pending(List.of(assignment), referral, opened, link), referral, List.of()).get(0);
    }

    /** A copy to store: sealed now, or (fresh null) the copy an interrupted earlier attempt stored under the same id. */
    private record Pending(Assignment assignment, String deliveryId, Optional<byte[]> earlier, DeliveryLedger.NewDelivery fresh) {
    }

    /** The copies to store: those an interrupted earlier attempt stored (looked up in one statement), the rest sealed now. */
    private List<Pending> pending(List<Assignment> assignments, Referral referral, OpenedEnvelope opened, CaseLink link) {
        String content = opened.caseBlindContentSha256();
        List<String> ids = assignments.stream().map(a -> deliveryId(referral, content, a)).toList();
        Map<String, byte[]> earlier = ledger.sealedEnvelopes(ids);
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < assignments.size(); i++) {
            String deliveryId = ids.get(i);
            byte[] stored = earlier.get(deliveryId);
            pending.add(new Pending(assignments.get(i), deliveryId, Optional.ofNullable(stored),
                    stored != null ? null : seal(deliveryId, referral, assignments.get(i), link)));
        }
        return pending;
    }

    /**
     * The copies, the needs they take and, for a first routing, its {@code ROUTED} rows commit together. Two attempts
     * storing the same copy at once (a lease run out) can make this one fail whole on PostgreSQL, which aborts a
     * transaction at a duplicate key: the exchange fails, and the agency's retry reuses the copy.
     */
    private List<SealedCopy> store(List<Pending> pending, Referral referral, List<AuditEvent> routed) {
        return transaction.execute(status -> {
            // The copies of capped providers count from now on, in place of the places routing claimed for them.
            places.release(pending.stream().map(Pending::assignment).filter(a -> a.provider().capacity() != null)
                    .map(a -> a.provider().id()).toList(), referral.sender(), referral.referralId());
            List<SealedCopy> copies = new ArrayList<>();
            for (Pending p : pending) {
                Assignment assignment = p.assignment();
                String providerId = assignment.provider().id();
                byte[] stored = p.fresh() == null ? p.earlier().get() : ledger.storeOnce(p.fresh());
                for (ServiceCode service : assignment.owned()) {
                    needs.routed(referral.sender(), referral.referralId(), service, providerId, p.deliveryId(),
                            ruleFor(assignment, service));
                }
                copies.add(new SealedCopy(p.deliveryId(), providerId, referral.referralId(), assignment.serviceCodes(),
                        assignment.provider().channel().name(), stored));
            }
            audit.recordAll(routed); // last: the audit head stays locked only from here to the commit
            return copies;
        });
    }

    /**
     * After the copy reached its channel (queue, inbox table, or the provider's webhook answered 2xx). A new
     * referral's copy is left to {@link #deliveredAll}, which records it with the others once all have left.
     */
    public void delivered(@Header(Flow.Headers.DELIVERY_ID) String deliveryId, @Body byte[] sealed,
                          @ExchangeProperty(Flow.Properties.SEALED_COPIES) Map<String, SealedCopy> sentTogether) {
        if (sentTogether != null && sentTogether.containsKey(deliveryId)) {
            return;
        }
        transaction.executeWithoutResult(status -> handOver(deliveryId, sealed).ifPresent(audit::record)); // the row is read in the same transaction
    }

    /**
     * A new referral's queue and inbox copies, once every copy has left: their hand-overs in one transaction, their
     * DELIVERED rows in one batch. Webhook copies are handed over when the provider's endpoint answers ({@code push-webhook}).
     */
    public void deliveredAll(@ExchangeProperty(Flow.Properties.SEALED_COPIES) Map<String, SealedCopy> copies) {
        List<SealedCopy> handedOver = copies.values().stream()
                .filter(copy -> !copy.channel().equals(Provider.DeliveryChannel.WEBHOOK.name())).toList();
        if (!handedOver.isEmpty()) {
            transaction.executeWithoutResult(status -> { // their DELIVERED rows appended as one batch
                List<AuditEvent> events = new ArrayList<>();
                handedOver.forEach(copy -> handOver(copy.deliveryId(), copy.sealed()).ifPresent(events::add));
                audit.recordAll(events);
            });
        }
    }

    /** Records the copy handed over and returns its DELIVERED event to append; empty if it already was. */
    private Optional<AuditEvent> handOver(String deliveryId, byte[] sealed) {
        DeliveryLedger.DeliveryRow row = ledger.find(deliveryId).orElseThrow();
        boolean immediate = Urgency.fromValue(row.urgency()) == Urgency.IMMEDIATE;
        OffsetDateTime deadline = row.isCaseNotice() ? null // nothing to answer, so nothing is ever overdue
                : OffsetDateTime.now(clock).plus(immediate ? properties.ackTimeoutImmediate() : properties.ackTimeout());
        if (!ledger.markDelivered(deliveryId, deadline)) {
            return Optional.empty();
        }
        needs.transition(row, java.util.Set.of(NeedLedger.NeedState.ROUTED), NeedLedger.NeedState.DELIVERED, row.channel());
        return Optional.of(AuditEvent.of(AuditEventType.DELIVERED, row.referralId(), audit.busActor())
                .withCounterpart(row.providerId())
                .withEnvelope(Sha256.hex(sealed))
                // a case notice says so: in the trail it was a second DELIVERED row no auditor could tell apart
                .withDetail("delivery:" + deliveryId + ";channel:" + row.channel() + (row.isCaseNotice() ? ";case-notice" : "")));
    }

    private DeliveryLedger.NewDelivery seal(String deliveryId, Referral referral, Assignment assignment, CaseLink link) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        byte[] document = documents.write(deliveryId, referral, assignment, now, link);
        byte[] sealed = busSealer.seal(document, assignment.provider().certificate());
        return new DeliveryLedger.NewDelivery(deliveryId, referral.sender(), referral.referralId(),
                assignment.provider().id(), assignment.serviceCodes(), assignment.ruleCodes(),
                assignment.provider().channel().name(), referral.urgency().value(), Sha256.hex(sealed), sealed, now);
    }

    private static String ruleFor(Assignment assignment, ServiceCode service) {
        return assignment.ruleFor(service).map(RoutingRule::code).orElse("unknown:" + service.value());
    }

    /**
     * Same referral content ({@link ReferralContentSha256}: a resend with its ids in upper case is the same), provider and
     * services: same id, so a retry after a crash addresses the same delivery,
     * while a re-routing of other services to the same provider (e.g. the coordinator) gets its own, and so does each
     * case notice (its reason names the merge or split).
     */
    static String deliveryId(Referral referral, String contentSha256, Assignment assignment) {
        String key = String.join("\n", referral.sender(), referral.referralId(), contentSha256, assignment.provider().id(),
                sortedCodes(assignment.services()), sortedCodes(assignment.owned()));
        if (assignment.rules().stream().anyMatch(rule -> rule.kind() == RoutingRule.Kind.CASE_NOTICE)) {
            key += "\n" + String.join(" ", assignment.reasons()); // each merge or split is news of its own
        }
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Sorted by the code's string, not the enum's order: delivery ids issued before stay the same. */
    private static String sortedCodes(java.util.List<ServiceCode> services) {
        return String.join(",", new TreeSet<>(services.stream().map(ServiceCode::value).toList()));
    }
}
