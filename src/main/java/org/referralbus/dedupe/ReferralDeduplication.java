package org.referralbus.dedupe;

import java.time.Clock;
import java.time.OffsetDateTime;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ExchangeKeys;
import org.referralbus.core.ReferralBusException;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/**
 * Referral-level deduplication: same sender and referralId with the same content is answered with the stored
 * receipt; with other content it is a conflict. A referral being processed elsewhere (another request, another
 * bus instance) is waited for, and answered with the receipt that processing stores; one left half-processed by a
 * crash is taken over once its processing lease has run out, and the idempotent delivery step completes it
 * without a second delivery. An update ({@code header/supersedes}) must name a referral already filed.
 */
@Component
public class ReferralDeduplication {

    private static final long POLL_MILLIS = 100;

    private final ReferralLedger ledger;
    private final CaseLedger cases;
    private final DedupeProperties properties;
    private final AuditTrail audit;
    private final Clock clock;

    ReferralDeduplication(ReferralLedger ledger, CaseLedger cases, DedupeProperties properties, AuditTrail audit, Clock clock) {
        this.ledger = ledger;
        this.cases = cases;
        this.properties = properties;
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
        if (ledger.find(referral.sender(), referral.referralId()).isEmpty()) {
            SupersedesCheck.check(referral, cases); // before the row exists, so a refused update leaves nothing behind
        }
        byte[] envelope = exchange.getProperty(ExchangeKeys.RAW_ENVELOPE, byte[].class);
        if (ledger.insertReceived(referral, opened.contentSha256(), opened.envelopeSha256(), envelope, now)) {
            proceed(exchange, referral, now);
            return;
        }
        long deadline = System.nanoTime() + 2 * properties.processingLease().toNanos();
        while (true) {
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
            if (cases.claimExpiredLease(referral.sender(), referral.referralId(), OffsetDateTime.now(clock),
                    properties.processingLease())) {
                proceed(exchange, referral, stored.receivedAt());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ReferralBusException(ErrorCode.INTERNAL_ERROR,
                        "Referral " + referral.referralId() + " is still being processed elsewhere; retry later");
            }
            pause();
        }
    }

    /** This exchange now owns the referral; if it fails, the lease ends at once so that a retry need not wait. */
    private void proceed(Exchange exchange, Referral referral, OffsetDateTime receivedAt) {
        exchange.setProperty(ExchangeKeys.RECEIVED_AT, receivedAt);
        exchange.getIn().setHeader(ExchangeKeys.DUPLICATE, false);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onFailure(Exchange failed) {
                cases.releaseLease(referral.sender(), referral.referralId());
            }
        });
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Interrupted while waiting for a referral", e);
        }
    }

    private void replay(Exchange exchange, StoredReferral stored, OpenedEnvelope opened) {
        audit.record(AuditEvent.of(AuditEventType.DUPLICATE, stored.referralId(), stored.sender())
                .withEnvelope(opened.envelopeSha256()));
        exchange.getIn().setHeader(ExchangeKeys.DUPLICATE, true);
        exchange.getIn().setBody(stored.receipt().orElseThrow());
    }
}
