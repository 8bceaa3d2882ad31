package org.referralbus.statistics;

import jakarta.annotation.PreDestroy;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.referralbus.core.ReferralBusException;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.dedupe.ReferralLedger.FiledReferral;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.intake.EnvelopeOpening;
import org.referralbus.validation.Referral;
import org.referralbus.validation.ReferralValidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * After start-up, gives facts to referrals filed before statistics existed (before migration V8), or whose facts a
 * crash lost: their sealed envelopes are opened again in memory exactly as re-routing opens them, and only the codes of
 * {@link FactsRecording#factOf} are kept; the outcome comes from the needs' history. A referral whose envelope no
 * longer opens (a signer certificate since revoked, an envelope already purged) is counted and skipped: the log names
 * counts only, never a referral's content.
 *
 * <p>Implementation note: taking referrals does not need facts, so the pass runs on a thread of its own once the bus
 * is ready, and statistics wait for it ({@link #awaitComplete}). It reads only referrals received since the last
 * completed pass ({@link BackfillMarker}), so its cost follows what arrived since the last start, not all that is
 * stored; the first pass on a database without a mark reads everything once. It reads nothing received after this
 * process started: those referrals are this node's live flow, which records their facts itself. The mark is set
 * {@link #GRACE} before that start, so referrals another node of a cluster still had in flight (or stamped with a
 * clock slightly ahead) are looked at again next time.
 */
@Component
class FactsBackfill {

    private static final Logger log = LoggerFactory.getLogger(FactsBackfill.class);
    static final Duration GRACE = Duration.ofHours(1);
    private static final OffsetDateTime EVER = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final ReferralLedger referrals;
    private final ReferralFacts facts;
    private final BackfillMarker marker;
    private final EnvelopeOpening opening;
    private final ReferralValidation validation;
    private final PastOutcomes outcomes;
    private final CountDownLatch complete = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Thread worker;

    FactsBackfill(ReferralLedger referrals, ReferralFacts facts, BackfillMarker marker, EnvelopeOpening opening,
                  ReferralValidation validation, PastOutcomes outcomes) {
        this.referrals = referrals;
        this.facts = facts;
        this.marker = marker;
        this.opening = opening;
        this.validation = validation;
        this.outcomes = outcomes;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        OffsetDateTime processStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()).atOffset(ZoneOffset.UTC);
        Thread thread = new Thread(() -> runOnce(processStart), "facts-backfill");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    /** Stops a pass still running at shutdown between two referrals; the mark stays where it was. */
    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        Thread thread = worker;
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** Waits at most {@code timeout} for the pass of this start; false if it is still running (or failed). */
    boolean awaitComplete(Duration timeout) {
        try {
            return complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void runOnce(OffsetDateTime processStart) {
        try {
            backfill(processStart);
            if (!stopping) {
                complete.countDown();
            }
        } catch (DataAccessException e) {
            // Statistics stay refused until a restart completes a pass: better than counts missing referrals.
            log.error("Statistics backfill failed ({}); statistics answers are refused until the next start completes it",
                    e.getClass().getSimpleName());
        }
    }

    /**
     * One pass over the referrals received since the mark and before {@code before}; moves the mark when done.
     *
     * @return how many referrals got facts
     */
    int backfill(OffsetDateTime before) {
        long started = System.nanoTime();
        OffsetDateTime from = marker.checkedBefore().orElse(EVER);
        List<FiledReferral> filed = referrals.firstFiledWithEnvelope(from, before);
        Set<String> recorded = facts.recorded(from, before);
        int added = 0;
        int unreadable = 0;
        for (FiledReferral referral : filed) {
            if (stopping) {
                return added;
            }
            if (recorded.contains(referral.sender() + "/" + referral.referralId())) {
                continue;
            }
            try {
                if (recordFacts(referral)) {
                    added++;
                }
            } catch (ReferralBusException | NoSuchElementException e) {
                unreadable++;
            }
        }
        marker.advanceTo(before.minus(GRACE));
        log.info("Statistics backfill: {} referrals received since {} checked in {} ms; facts recorded for {}, {} could not be read again",
                filed.size(), from.equals(EVER) ? "the first" : from, (System.nanoTime() - started) / 1_000_000, added, unreadable);
        return added;
    }

    private boolean recordFacts(FiledReferral filed) {
        OpenedEnvelope opened = opening.reopen(referrals.sealedEnvelope(filed.sender(), filed.referralId()).orElseThrow());
        Referral referral = validation.revalidate(opened);
        PastOutcomes.PastOutcome past = outcomes.of(filed.sender(), filed.referralId());
        Fact fact = FactsRecording.factOf(referral, filed.caseId(), filed.receivedAt());
        try {
            return facts.record(new Fact(fact.sender(), fact.referralId(), fact.caseId(), fact.receivedAt(), fact.category(),
                    fact.exploitation(), fact.sex(), fact.ageBand(), fact.nationality(), fact.region(), fact.services(),
                    past.outcome(), past.acceptedAt(), past.declinedAt(), past.escalatedAt()));
        } catch (DuplicateKeyException recordedMeanwhile) {
            return false; // a retry of this referral recorded the same facts at the same moment
        }
    }
}
