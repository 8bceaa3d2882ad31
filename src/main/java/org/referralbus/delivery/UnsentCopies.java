package org.referralbus.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;
import org.referralbus.core.Flow;
import org.referralbus.dedupe.ReferralDeduplication;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.dedupe.StoredReferral;
import org.referralbus.routing.Provider;
import org.referralbus.routing.ProviderRegistry;
import org.referralbus.validation.Referral;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Hands over the copies a receipt promised that never reached their channel. A new referral's receipt is forced to
 * the disk with its stored copies before they leave, and their hand-overs are recorded after the sends without a write
 * of their own (docs/operators.md, "Durability: what a receipt promises"): a crash in between, or a send that failed
 * after the receipt was stored, leaves a receipted copy {@code SEALED}. Such a copy is handed over through the flow's
 * own route ({@code hand-over-copy}): the broker drops a queued copy it already holds (the delivery id is its
 * duplicate-detection id), an inbox copy becomes visible, a webhook copy is queued for its push. The agency's retry
 * (its attempt failed, or it never saw the answer) has the referral's copies handed over before the stored receipt
 * is answered again ({@link #handOverUnsentOf}); this sweep covers the copies whose receipt did reach the agency.
 *
 * <p>Once at start, before the bus reports ready, for every copy stored before the start (so a bus killed right after a
 * receipt starts again with that referral's copies handed over); then as often as the deadline check, for copies stored
 * longer than {@code referral-bus.delivery.hand-over-grace} ago, so the sweep does not race a flow still sending them,
 * except webhook copies: one stays {@code SEALED} until its push succeeds, which the broker may retry for many minutes,
 * and queueing it again every minute would only be dropped as a duplicate. Copies of a referral without a receipt are
 * left alone: the agency, holding no receipt, sends it again, and that retry reuses them. This node hands a copy over
 * once at a time (see {@code handOverLocks}); several instances sweeping at the same instant can queue a copy twice,
 * with the same delivery id, which providers are told to drop (integrators.md), and the conditional state change counts
 * it once; a failure is logged and tried again at the next sweep, and {@code referralbus.copies.unsent} counts the
 * copies the last sweep could not hand over.
 */
@Component
public class UnsentCopies {

    private static final Logger log = LoggerFactory.getLogger(UnsentCopies.class);

    private final DeliveryLedger deliveries;
    private final ReferralLedger referrals;
    private final ReferralDeduplication dedupe;
    private final ProviderRegistry providers;
    private final ProducerTemplate flow;
    private final DeliveryProperties properties;
    private final Clock clock;
    private final AtomicInteger leftAtLastSweep = new AtomicInteger();
    /** Before this bus started serving: an attempt begun since is one of its own or a live node's, not a crashed one. */
    private final OffsetDateTime startedAt;
    /**
     * One hand-over of a copy at a time on this node: Artemis looks a message's duplicate-detection id up before it
     * records it, so two sends of one copy at the same instant (the check at start and the agency's retry, say) can
     * both be kept. One after the other, the broker drops the second.
     */
    private final Lock[] handOverLocks = IntStream.range(0, 64).mapToObj(i -> new ReentrantLock()).toArray(Lock[]::new);

    UnsentCopies(DeliveryLedger deliveries, ReferralLedger referrals, ReferralDeduplication dedupe, ProviderRegistry providers,
                 ProducerTemplate flow, DeliveryProperties properties, Clock clock, MeterRegistry registry) {
        this.deliveries = deliveries;
        this.referrals = referrals;
        this.dedupe = dedupe;
        this.providers = providers;
        this.flow = flow;
        this.properties = properties;
        this.clock = clock;
        this.startedAt = OffsetDateTime.now(clock);
        Gauge.builder("referralbus.copies.unsent", leftAtLastSweep, AtomicInteger::get)
                .description("receipted copies the last check found unsent and could not hand over").register(registry);
    }

    /**
     * The flow's step before a stored receipt is answered again: the referral's copies still {@code SEALED} (a send
     * failed after the receipt was stored, or the bus died before they left) are handed over first. A failure fails
     * the answer, so the agency sends again. Not while an attempt still holds the referral's processing lease: it is
     * sending them (on another node perhaps, with a broker of its own, where a second copy would not be dropped), and
     * gives the lease up if it fails; what it leaves is this class's sweep's.
     *
     * <p>An envelope the intake queue brings again is different. Its first attempt's sends were part of the intake
     * message's broker transaction, and the message is back, so that transaction may have rolled back after the
     * hand-overs were recorded (the broker failed, or the bus was killed, before it committed; the attempt's lease may
     * still run). So its copies still {@code SEALED} and its queue copies recorded handed over but not yet answered are
     * all handed over, whatever the lease, on another thread: outside the intake message's transaction, since Artemis
     * refuses a whole transaction that holds a message it already has (its duplicate-detection id), and outside, it
     * just drops that message. At worst a provider whose copy went to another node's broker gets it twice, with the
     * same delivery id.
     */
    public void handOverUnsentOf(@ExchangeProperty(Flow.Properties.REFERRAL) Referral referral,
                                 @ExchangeProperty(Flow.Properties.INTAKE_TRANSACTION) Boolean fromIntakeQueue) {
        if (Boolean.TRUE.equals(fromIntakeQueue)) {
            for (SealedCopy copy : deliveries.sealedOrQueuedOf(referral.sender(), referral.referralId())) {
                handOver(copy, "again, as the intake queue brought its envelope again", true);
            }
            return;
        }
        if (dedupe.inProgress(referral.sender(), referral.referralId())) {
            return;
        }
        for (SealedCopy copy : deliveries.sealedOf(referral.sender(), referral.referralId())) {
            handOver(copy, "before answering its receipt again", false);
        }
    }

    /** Synchronous, so readiness (published after this event's listeners) waits for it. */
    @EventListener(ApplicationReadyEvent.class)
    void handOverAtStart() {
        handOverStoredBefore(OffsetDateTime.now(clock), true);
    }

    @Scheduled(fixedDelayString = "${referral-bus.delivery.escalation-check:1m}", initialDelayString = "${referral-bus.delivery.escalation-check:1m}")
    void handOverLate() {
        handOverStoredBefore(OffsetDateTime.now(clock).minus(properties.handOverGrace()), false);
    }

    /**
     * @param atStart webhook copies too; and a referral an attempt is processing is left to it only if that attempt
     *                began since this bus started (not one a crash cut off), where later any live attempt counts
     * @return how many copies were handed over
     */
    int handOverStoredBefore(OffsetDateTime before, boolean atStart) {
        int handedOver = 0;
        int left = 0;
        for (Provider provider : providers.all()) {
            for (DeliveryLedger.UnsentCopy unsent : deliveries.sealedBefore(provider.id(), before)) {
                SealedCopy copy = unsent.copy();
                if (!atStart && Provider.DeliveryChannel.WEBHOOK.name().equals(copy.channel())) {
                    continue;
                }
                if (referrals.find(unsent.sender(), copy.referralId()).flatMap(StoredReferral::receipt).isEmpty()) {
                    continue;
                }
                // An attempt that stored the receipt is sending the copies itself: a send of ours at the same instant
                // could be kept beside its own (see handOverLocks).
                if (dedupe.inProgressSince(unsent.sender(), copy.referralId(), atStart ? startedAt : OffsetDateTime.MIN)) {
                    continue;
                }
                try {
                    if (handOver(copy, "at the check of receipted copies", false)) {
                        handedOver++;
                    }
                } catch (RuntimeException e) {
                    left++;
                    log.warn("Could not hand over delivery {} of referral {} to {} ({}); tried again at the next check: {}",
                            copy.deliveryId(), copy.referralId(), copy.providerId(), copy.channel(), kindOf(e));
                }
            }
        }
        leftAtLastSweep.set(left);
        return handedOver;
    }

    /**
     * @param fromIntakeQueue sent on Camel's thread for asynchronous sends, which holds no broker session of an intake
     *                        consumer's, so none of its transaction; and whatever its recorded state (a queue copy
     *                        recorded handed over may have been rolled back). Otherwise only if no other hand-over on
     *                        this node took the copy meanwhile
     * @return whether it was handed over
     */
    private boolean handOver(SealedCopy copy, String when, boolean fromIntakeQueue) {
        Lock lock = handOverLocks[Math.floorMod(copy.deliveryId().hashCode(), handOverLocks.length)];
        lock.lock();
        try {
            if (!fromIntakeQueue && !stillSealed(copy)) {
                return false;
            }
            if (fromIntakeQueue) {
                try {
                    flow.asyncSendBody(Flow.Endpoints.HAND_OVER_COPY, copy).join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException failure ? failure : e;
                }
            } else {
                flow.sendBody(Flow.Endpoints.HAND_OVER_COPY, copy);
            }
        } finally {
            lock.unlock();
        }
        log.info("Handed over delivery {} of referral {} to {} ({}) {}: left unsent by a failed send or a crash",
                copy.deliveryId(), copy.referralId(), copy.providerId(), copy.channel(), when);
        return true;
    }

    private boolean stillSealed(SealedCopy copy) {
        return deliveries.find(copy.deliveryId()).filter(row -> row.state() == DeliveryLedger.State.SEALED).isPresent();
    }

    /** The innermost exception's class: its message could quote what failed, and no referral content is ever logged. */
    private static String kindOf(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getName();
    }
}
