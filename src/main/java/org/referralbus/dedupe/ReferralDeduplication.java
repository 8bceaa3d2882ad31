package org.referralbus.dedupe;

import java.time.Clock;
import java.time.OffsetDateTime;
import org.apache.camel.Exchange;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.intake.ExchangeKeys;
import org.referralbus.system.ErrorCode;
import org.referralbus.system.ReferralBusException;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/**
 * Referral-level deduplication: same sender and referralId with the same content is answered with the stored
 * receipt; with other content it is a conflict. A referral left half-processed by a crash is processed again;
 * the delivery step is idempotent, so that completes it without a second delivery.
 */
@Component
public class ReferralDeduplication {

    private final ReferralLedger ledger;
    private final AuditTrail audit;
    private final Clock clock;

    public ReferralDeduplication(ReferralLedger ledger, AuditTrail audit, Clock clock) {
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
    }

    /** Called by the idempotent consumer's duplicate branch: this exact envelope was already processed. */
    public void replayEnvelope(Exchange exchange) {
        OpenedEnvelope opened = exchange.getProperty(ExchangeKeys.OPENED, OpenedEnvelope.class);
        StoredReferral stored = ledger.findByEnvelope(opened.envelopeSha256())
                .filter(r -> r.receipt().isPresent())
                .orElseThrow(() -> new ReferralBusException(ErrorCode.INTERNAL_ERROR,
                        "Envelope " + opened.envelopeSha256() + " marked processed but has no receipt"));
        replay(exchange, stored, opened);
    }

    /** Decides whether this referral is new, a repeat, a conflict, or an interrupted earlier run to complete. */
    public void check(Exchange exchange) {
        OpenedEnvelope opened = exchange.getProperty(ExchangeKeys.OPENED, OpenedEnvelope.class);
        Referral referral = exchange.getProperty(ExchangeKeys.REFERRAL, Referral.class);
        OffsetDateTime now = OffsetDateTime.now(clock);
        byte[] envelope = exchange.getProperty(ExchangeKeys.RAW_ENVELOPE, byte[].class);
        if (ledger.insertReceived(referral, opened.contentSha256(), opened.envelopeSha256(), envelope, now)) {
            exchange.setProperty(ExchangeKeys.RECEIVED_AT, now);
            exchange.getIn().setHeader(ExchangeKeys.DUPLICATE, false);
            return;
        }
        StoredReferral stored = ledger.find(referral.sender(), referral.referralId()).orElseThrow(() ->
                new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Referral row vanished during dedupe"));
        if (!stored.contentSha256().equals(opened.contentSha256())) {
            throw new ReferralBusException(ErrorCode.DUPLICATE_CONFLICT,
                    "referralId " + referral.referralId() + " already received with other content");
        }
        if (stored.state() == StoredReferral.State.ROUTED && stored.receipt().isPresent()) {
            replay(exchange, stored, opened);
            return;
        }
        exchange.setProperty(ExchangeKeys.RECEIVED_AT, stored.receivedAt());
        exchange.getIn().setHeader(ExchangeKeys.DUPLICATE, false);
    }

    private void replay(Exchange exchange, StoredReferral stored, OpenedEnvelope opened) {
        audit.record(AuditEvent.of(AuditEventType.DUPLICATE, stored.referralId(), stored.sender())
                .withEnvelope(opened.envelopeSha256()));
        exchange.getIn().setHeader(ExchangeKeys.DUPLICATE, true);
        exchange.getIn().setBody(stored.receipt().orElseThrow());
    }
}
