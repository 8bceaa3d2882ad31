package org.referralbus.dedupe;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.apache.camel.ExchangeProperty;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.ReferralContentSha256;
import org.referralbus.core.RetryLaterException;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/**
 * Referral-level deduplication: same sender and referralId with the same content is answered with the stored
 * receipt; with other content it is a conflict. A referral being processed elsewhere (another request, another
 * bus instance) is waited for, and answered with the receipt that processing stores; one left half-processed by a
 * crash is taken over once its processing lease has run out, and the idempotent delivery step completes it
 * without a second delivery. If the lease is still held after twice its length (another attempt took it over), the
 * answer is {@link ErrorCode#REFERRAL_IN_PROGRESS} with the time left on that lease. An update
 * ({@code header/supersedes}) must name a referral already filed. The same referral with its header's UUIDs in another
 * case is the same content ({@link ReferralContentSha256}): a repeat, not a conflict. If an attempt that owns the referral fails, the route calls {@link #releaseLease} so that a retry need not wait.
 */
@Component
public class ReferralDeduplication {

    private static final long POLL_MILLIS = 100;

    private final ReferralLedger ledger;
    private final DedupeProperties properties;
    private final AuditTrail audit;
    private final Clock clock;

    ReferralDeduplication(ReferralLedger ledger, DedupeProperties properties, AuditTrail audit, Clock clock) {
        this.ledger = ledger;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    /** Called by the idempotent consumer's duplicate branch: this exact envelope was already processed. */
    public Receipt replayEnvelope(@ExchangeProperty(Flow.Properties.OPENED) OpenedEnvelope opened) {
        StoredReferral stored = ledger.findByEnvelope(opened.envelopeSha256())
                .filter(r -> r.receipt().isPresent())
                .orElseThrow(() -> new ReferralBusException(ErrorCode.INTERNAL_ERROR,
                        "Envelope " + opened.envelopeSha256() + " marked processed but has no receipt"));
        return replay(stored, opened);
    }

    /** Decides whether this referral is new, a repeat, a conflict, or an interrupted earlier run to complete. */
    public DedupeResult check(@ExchangeProperty(Flow.Properties.OPENED) OpenedEnvelope opened,
                              @ExchangeProperty(Flow.Properties.REFERRAL) Referral referral,
                              @ExchangeProperty(Flow.Properties.RAW_ENVELOPE) byte[] envelope) {
        // In milliseconds, as the signed receipt states it: the status then names the same instant.
        OffsetDateTime now = OffsetDateTime.now(clock).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (ledger.find(referral.sender(), referral.referralId()).isEmpty()) {
            SupersedesCheck.check(referral, ledger); // before the row exists, so a refused update leaves nothing behind
        }
        String content = opened.caseBlindContentSha256();
        if (ledger.insertReceived(referral, content, opened.envelopeSha256(), envelope, now)) {
            return DedupeResult.process(now);
        }
        long deadline = System.nanoTime() + 2 * properties.processingLease().toNanos();
        while (true) {
            StoredReferral stored = ledger.find(referral.sender(), referral.referralId()).orElseThrow(() ->
                    new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Referral row vanished during dedupe"));
            // A row stored before ids were compared without regard to case holds the hash of the bytes as sent.
            if (!stored.contentSha256().equals(content) && !stored.contentSha256().equals(opened.contentSha256())) {
                throw new ReferralBusException(ErrorCode.DUPLICATE_CONFLICT, conflictDetail(referral.referralId(),
                        stored.state() == StoredReferral.State.ROUTED && stored.receipt().isPresent()));
            }
            if (stored.state() == StoredReferral.State.ROUTED && stored.receipt().isPresent()) {
                return DedupeResult.repeat(replay(stored, opened));
            }
            if (ledger.claimExpiredLease(referral.sender(), referral.referralId(), OffsetDateTime.now(clock),
                    properties.processingLease())) {
                return DedupeResult.process(stored.receivedAt());
            }
            if (System.nanoTime() > deadline) {
                throw stillInProgress(referral);
            }
            pause();
        }
    }

    /**
     * What a {@code duplicate_conflict} tells the sender: that the referral with this id arrived earlier, first, since
     * "give it a new referralId" made a clerk who re-sent after a lost receipt file a second referral of the same
     * person (two shelters took her in). Nothing about the content the bus holds, which this request has not proved it
     * may see: only the id it sent itself. An earlier referral the bus never finished (a crash before its receipt) is
     * finished only by the very envelope that brought it, so then the sender is told to send that file again: "nothing
     * more is needed" would have left it undelivered.
     *
     * @param finished whether the earlier referral was routed and its receipt given
     */
    static String conflictDetail(String referralId, boolean finished) {
        if (!finished) {
            return "A referral with referralId " + referralId + " from your agency arrived earlier but is not finished: the bus"
                    + " gave no receipt for it. Send again the very file you sent first (the same sealed envelope): that"
                    + " finishes it and returns its receipt. This one differs from it (made again, or re-saved by an editor), so"
                    + " it cannot. If that file is lost, ask the bus's operator before sending the person under a new"
                    + " referralId: the unfinished referral may already have reached some providers.";
        }
        return "A referral with referralId " + referralId + " from your agency arrived earlier: the bus holds it, and gave its"
                + " receipt then. This one differs from it (made again, or re-saved by an editor), so it was not taken. If you"
                + " are sending it again after a failed or unanswered send, nothing more is needed: check it with GET"
                + " /api/v1/referrals/" + referralId + "/status (status " + referralId + "). To correct it, send a new"
                + " referral that names it in header/supersedes. Only a different person gets a new referralId.";
    }

    /**
     * On failure of the exchange: if it owned the referral (it has a {@code receivedAt}), the lease ends at once and a
     * retry need not wait for it to run out. Does nothing for a failure before dedupe or for a repeat.
     */
    public void releaseLease(@ExchangeProperty(Flow.Properties.RECEIVED_AT) OffsetDateTime receivedAt,
                             @ExchangeProperty(Flow.Properties.REFERRAL) Referral referral) {
        if (receivedAt != null && referral != null) {
            ledger.releaseLease(referral.sender(), referral.referralId());
        }
    }

    /**
     * Whether an attempt still holds the referral's processing lease: one whose receipt is stored may be sending its
     * copies right now (a failed attempt gives its lease up at once, {@link #releaseLease}).
     */
    public boolean inProgress(String sender, String referralId) {
        return inProgressSince(sender, referralId, OffsetDateTime.MIN);
    }

    /**
     * Whether an attempt that began at {@code since} or later holds the referral's processing lease: it is sending the
     * copies itself. One a crash cut off before {@code since} does not count, however long its lease would run.
     */
    public boolean inProgressSince(String sender, String referralId, OffsetDateTime since) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Duration lease = properties.processingLease();
        return ledger.leaseUntil(sender, referralId, lease)
                .filter(until -> now.isBefore(until) && !until.minus(lease).isBefore(since)).isPresent();
    }

    /** Another attempt holds the lease (it took it over while this one waited): come back when that lease ends. */
    private RetryLaterException stillInProgress(Referral referral) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Duration left = ledger.leaseUntil(referral.sender(), referral.referralId(), properties.processingLease())
                .map(end -> Duration.between(now, end))
                .filter(d -> !d.isNegative())
                .orElse(Duration.ZERO);
        return new RetryLaterException(ErrorCode.REFERRAL_IN_PROGRESS,
                "Referral " + referral.referralId() + " is still being processed elsewhere; retry after Retry-After seconds", left);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Interrupted while waiting for a referral", e);
        }
    }

    private Receipt replay(StoredReferral stored, OpenedEnvelope opened) {
        audit.record(AuditEvent.of(AuditEventType.DUPLICATE, stored.referralId(), stored.sender())
                .withEnvelope(opened.envelopeSha256()));
        return stored.receipt().orElseThrow();
    }
}
