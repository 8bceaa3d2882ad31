package org.referralbus.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
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

/**
 * Flow steps around each provider's copy. {@link #prepare} seals the need-to-know view for the provider (or
 * reuses the copy an interrupted earlier attempt stored) and sets the broker's duplicate-detection id, so a
 * retry never produces a second delivery; {@link #delivered} records and audits the hand-over once.
 */
@Component
public class DeliveryDispatcher {

    /** Artemis's duplicate-detection property: the broker drops a second message with the same value. */
    static final String DUPLICATE_DETECTION_ID = "_AMQ_DUPL_ID";
    public static final String DELIVERY_ID = "referralBusDeliveryId";
    public static final String PROVIDER_ID = "referralBusProviderId";
    public static final String REFERRAL_ID = "referralBusReferralId";
    public static final String SERVICES = "referralBusServices";

    private final DeliveryDocuments documents;
    private final DeliveryLedger ledger;
    private final EnvelopeSealer busSealer;
    private final AuditTrail audit;
    private final Clock clock;

    public DeliveryDispatcher(DeliveryDocuments documents, DeliveryLedger ledger, EnvelopeSealer busSealer,
                              AuditTrail audit, Clock clock) {
        this.documents = documents;
        this.ledger = ledger;
        this.busSealer = busSealer;
        this.audit = audit;
        this.clock = clock;
    }

    public void prepare(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        Assignment assignment = exchange.getIn().getMandatoryBody(Assignment.class);
        Referral referral = exchange.getProperty(ExchangeKeys.REFERRAL, Referral.class);
        OpenedEnvelope opened = exchange.getProperty(ExchangeKeys.OPENED, OpenedEnvelope.class);
        String providerId = assignment.provider().id();
        String deliveryId = deliveryId(referral, opened.contentSha256(), providerId);
        Optional<byte[]> earlier = ledger.sealedEnvelope(deliveryId);
        CaseLink link = exchange.getProperty(ExchangeKeys.CASE_LINK, CaseLink.class);
        byte[] sealed = earlier.orElseGet(() -> sealAndStore(deliveryId, referral, assignment, link));
        Message out = exchange.getIn();
        out.removeHeaders("*");
        out.setHeader(DUPLICATE_DETECTION_ID, deliveryId);
        out.setHeader(DELIVERY_ID, deliveryId);
        out.setHeader(PROVIDER_ID, providerId);
        out.setHeader(REFERRAL_ID, referral.referralId());
        out.setHeader(SERVICES, String.join(",", assignment.services()));
        out.setBody(sealed);
    }

    public void delivered(Exchange exchange) {
        Message in = exchange.getIn();
        String deliveryId = in.getHeader(DELIVERY_ID, String.class);
        if (ledger.markDelivered(deliveryId)) {
            Referral referral = exchange.getProperty(ExchangeKeys.REFERRAL, Referral.class);
            audit.record(AuditEvent.of(AuditEventType.DELIVERED, referral.referralId(), "referral-bus")
                    .withCounterpart(in.getHeader(PROVIDER_ID, String.class))
                    .withEnvelope(Sha256.hex(in.getBody(byte[].class)))
                    .withDetail("delivery:" + deliveryId));
        }
    }

    private byte[] sealAndStore(String deliveryId, Referral referral, Assignment assignment, CaseLink link) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        byte[] document = documents.write(deliveryId, referral, assignment, now, link);
        byte[] sealed = busSealer.seal(document, assignment.provider().certificate());
        return ledger.storeOnce(new DeliveryLedger.NewDelivery(deliveryId, referral.sender(), referral.referralId(),
                assignment.provider().id(), String.join(",", assignment.services()), String.join(",", assignment.rules()),
                assignment.provider().channel().name(), Sha256.hex(sealed), sealed, now));
    }

    /** Same referral content and provider, same id: a retry after a crash addresses the same delivery. */
    static String deliveryId(Referral referral, String contentSha256, String providerId) {
        String key = referral.sender() + "\n" + referral.referralId() + "\n" + contentSha256 + "\n" + providerId;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
