package org.referralbus.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.intake.ExchangeKeys;
import org.referralbus.routing.Assignment;
import org.referralbus.system.Sha256;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Flow steps around each provider's copy. {@link #prepare} seals the need-to-know view for the provider (or
 * reuses the copy an interrupted earlier attempt stored), records which needs the provider now holds, and sets the
 * broker's duplicate-detection id, so a retry never produces a second delivery; {@link #delivered} records and
 * audits the hand-over once and starts the acknowledgement clock. Each step's rows change in one transaction, with
 * its audit event: a crash between them would leave a change that a retry finds done and so never audits.
 */
@Component
public class DeliveryDispatcher {

    /** Artemis's duplicate-detection property: the broker drops a second message with the same value. */
    static final String DUPLICATE_DETECTION_ID = "_AMQ_DUPL_ID";
    public static final String DELIVERY_ID = "referralBusDeliveryId";
    public static final String PROVIDER_ID = "referralBusProviderId";
    public static final String REFERRAL_ID = "referralBusReferralId";
    public static final String SERVICES = "referralBusServices";
    public static final String CHANNEL = "referralBusChannel";

    private final DeliveryDocuments documents;
    private final DeliveryLedger ledger;
    private final NeedLedger needs;
    private final EnvelopeSealer busSealer;
    private final AuditTrail audit;
    private final DeliveryProperties properties;
    private final Clock clock;
    private final TransactionTemplate transaction;

    public DeliveryDispatcher(DeliveryDocuments documents, DeliveryLedger ledger, NeedLedger needs, EnvelopeSealer busSealer,
                              AuditTrail audit, DeliveryProperties properties, Clock clock, PlatformTransactionManager transactions) {
        this.documents = documents;
        this.ledger = ledger;
        this.needs = needs;
        this.busSealer = busSealer;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    public void prepare(Exchange exchange) throws InvalidPayloadException {
        Assignment assignment = exchange.getIn().getMandatoryBody(Assignment.class);
        Referral referral = exchange.getProperty(ExchangeKeys.REFERRAL, Referral.class);
        OpenedEnvelope opened = exchange.getProperty(ExchangeKeys.OPENED, OpenedEnvelope.class);
        String providerId = assignment.provider().id();
        String deliveryId = deliveryId(referral, opened.contentSha256(), assignment);
        Optional<byte[]> earlier = ledger.sealedEnvelope(deliveryId);
        CaseLink link = exchange.getProperty(ExchangeKeys.CASE_LINK, CaseLink.class);
        byte[] sealed = earlier.orElseGet(() -> sealAndStore(deliveryId, referral, assignment, link));
        transaction.executeWithoutResult(status -> {
            for (String service : assignment.owned()) {
                needs.routed(referral.sender(), referral.referralId(), service, providerId, deliveryId,
                        ruleFor(assignment, service));
            }
        });
        Message out = exchange.getIn();
        out.removeHeaders("*");
        out.setHeader(DUPLICATE_DETECTION_ID, deliveryId);
        out.setHeader(DELIVERY_ID, deliveryId);
        out.setHeader(PROVIDER_ID, providerId);
        out.setHeader(REFERRAL_ID, referral.referralId());
        out.setHeader(SERVICES, String.join(",", assignment.services()));
        out.setHeader(CHANNEL, assignment.provider().channel().name());
        out.setBody(sealed);
    }

    /** After the copy reached its channel (queue, inbox table, or the provider's webhook answered 2xx). */
    public void delivered(Exchange exchange) {
        Message in = exchange.getIn();
        delivered(in.getHeader(DELIVERY_ID, String.class), in.getBody(byte[].class));
    }

    void delivered(String deliveryId, byte[] sealed) {
        DeliveryLedger.DeliveryRow row = ledger.find(deliveryId).orElseThrow();
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime deadline = now.plus("IMMEDIATE".equals(row.urgency()) ? properties.ackTimeoutImmediate() : properties.ackTimeout());
        transaction.executeWithoutResult(status -> {
            if (ledger.markDelivered(deliveryId, deadline)) {
                needs.transition(deliveryId, java.util.Set.of(NeedLedger.NeedState.ROUTED), NeedLedger.NeedState.DELIVERED, row.channel());
                audit.record(AuditEvent.of(AuditEventType.DELIVERED, row.referralId(), "referral-bus")
                        .withCounterpart(row.providerId())
                        .withEnvelope(Sha256.hex(sealed))
                        .withDetail("delivery:" + deliveryId + ";channel:" + row.channel()));
            }
        });
    }

    private byte[] sealAndStore(String deliveryId, Referral referral, Assignment assignment, CaseLink link) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        byte[] document = documents.write(deliveryId, referral, assignment, now, link);
        byte[] sealed = busSealer.seal(document, assignment.provider().certificate());
        return ledger.storeOnce(new DeliveryLedger.NewDelivery(deliveryId, referral.sender(), referral.referralId(),
                assignment.provider().id(), String.join(",", assignment.services()), String.join(",", assignment.rules()),
                assignment.provider().channel().name(), referral.urgency(), Sha256.hex(sealed), sealed, now));
    }

    private static String ruleFor(Assignment assignment, String service) {
        return assignment.rules().stream().filter(r -> r.endsWith(":" + service)).findFirst().orElse("unknown:" + service);
    }

    /**
     * Same referral content, provider and services: same id, so a retry after a crash addresses the same delivery,
     * while a re-routing of other services to the same provider (e.g. the coordinator) gets its own.
     */
    static String deliveryId(Referral referral, String contentSha256, Assignment assignment) {
        String key = String.join("\n", referral.sender(), referral.referralId(), contentSha256, assignment.provider().id(),
                String.join(",", new TreeSet<>(assignment.services())), String.join(",", new TreeSet<>(assignment.owned())));
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
