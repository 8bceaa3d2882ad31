package org.referralbus.audit;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Signs the head (a checkpoint and an RFC 6962 tree head, anchored) every
 * {@code referral-bus.audit.checkpoint-interval}, then folds the new rows into the console's referral progress; signs
 * once more on shutdown, after the flow
 * has stopped writing (highest phase stops first; this runs at the lowest useful phase, so it stops last).
 */
@Component
class CheckpointSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSchedule.class);

    private final AuditCheckpoints checkpoints;
    private final TreeHeads treeHeads;
    private final ReferralProgressProjection progress;
    private final AuditProperties properties;
    private volatile ScheduledExecutorService scheduler;

    CheckpointSchedule(AuditCheckpoints checkpoints, TreeHeads treeHeads, ReferralProgressProjection progress,
                       AuditProperties properties) {
        this.checkpoints = checkpoints;
        this.treeHeads = treeHeads;
        this.progress = progress;
        this.properties = properties;
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "audit-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
        long millis = properties.checkpointInterval().toMillis();
        executor.schedule(this::catchUp, millis / 2, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(() -> {
            checkpoint();
            foldProgress();
        }, millis, millis, TimeUnit.MILLISECONDS);
        scheduler = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = scheduler;
        scheduler = null;
        if (executor != null) {
            executor.shutdownNow();
            checkpoint();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    /**
     * Halfway to the first head, well after start-up and a restart's first burst, hashes the rows after the latest signed
     * head (the whole trail once if no head has a frontier stored: 4.5 s of CPU for 1.8 million rows): a stop after that
     * is quick.
     */
    private void catchUp() {
        try {
            treeHeads.catchUp();
        } catch (RuntimeException e) {
            log.warn("Audit tree not hashed ahead of its next head: {}", e.getClass().getName());
        }
        foldProgress();
    }

    /**
     * The console's referral progress, folded ahead of the next console request (which folds what is left): after an
     * upgrade the first fold reads the whole trail once, here rather than in an auditor's request. Not at shutdown.
     */
    private void foldProgress() {
        try {
            progress.catchUp();
        } catch (RuntimeException e) {
            log.warn("Console referral progress not folded ahead of requests: {}", e.getClass().getName());
        }
    }

    private void checkpoint() {
        try {
            checkpoints.take().ifPresent(c -> log.info("Signed audit checkpoint seq={} hash={}", c.seq(), c.hash()));
        } catch (RuntimeException e) {
            // A missed checkpoint only delays detection; the next interval (or shutdown) signs the head again.
            log.warn("Audit checkpoint failed: {}", e.getClass().getName());
        }
        try {
            treeHeads.timestampPending();
            treeHeads.take().ifPresent(h -> log.info("Signed audit tree head size={} root={}{}", h.treeSize(), h.rootHash(),
                    h.timestampToken() == null ? "" : " (timestamped)"));
        } catch (RuntimeException e) {
            log.warn("Audit tree head failed: {}", e.getClass().getName());
        }
    }
}
