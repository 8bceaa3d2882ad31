package org.referralbus.system;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for a sync that covers everything committed before it starts (H2's write and force): callers
 * that arrive while a sync runs wait for it to end, then one of them (the leader) runs a single new sync for all of
 * them, and the others (followers) return when it ends. A caller never returns on a sync that started before it
 * called, since that one may have missed its commits; under load, one sync serves many receipts. The sync is the
 * group's own, or the caller's ({@link #await(Runnable)}: H2's write through the leader's own connection, since one
 * taken from the pool for it could wait for the followers' connections).
 */
final class GroupSync {

    private final Runnable sync;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ended = lock.newCondition();
    private long started;
    private long completed;
    private boolean running;
    private int waiting;

    GroupSync(Runnable sync) {
        this.sync = sync;
    }

    /** A group whose callers each bring the sync to run if they lead ({@link #await(Runnable)}). */
    GroupSync() {
        this(() -> {
            throw new IllegalStateException("This group's callers bring their own sync");
        });
    }

    /** Returns once a sync that started after this call has completed; a failed sync fails its leader. */
    void await() {
        await(sync);
    }

    /**
     * As {@link #await()}, running {@code mine} if this caller leads; every caller's sync must cover the same commits
     * (the whole database's, whichever connection runs it).
     */
    void await(Runnable mine) {
        lock.lock();
        try {
            long needed = started + 1; // the next sync to start: the running one (if any) may not cover this caller
            while (completed < needed) {
                if (!running) {
                    lead(mine);
                } else {
                    waiting++;
                    try {
                        ended.awaitUninterruptibly();
                    } finally {
                        waiting--;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Callers waiting for a running sync to end (for tests). */
    int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held; runs the sync without it, so callers arriving meanwhile can queue up. */
    private void lead(Runnable sync) {
        long number = ++started;
        running = true;
        lock.unlock();
        boolean ok = false;
        try {
            sync.run();
            ok = true;
        } finally {
            lock.lock();
            running = false;
            if (ok) {
                completed = number;
            }
            ended.signalAll();
        }
    }
}
