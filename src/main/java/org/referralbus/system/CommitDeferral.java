package org.referralbus.system;

/**
 * Marks the thread that is running the referral flow: its commits may stay in memory (H2) or off the disk
 * (PostgreSQL: committed without waiting for the WAL flush), because the flow writes and forces them before its
 * receipt and its copies leave ({@link StorageSync#force}) and writes them before any other of its messages leaves for
 * the broker ({@link WriteBeforeSend}); what it commits after the receipt's force is left to the next write. Every
 * other thread's commits are durable before they return ({@link WrittenCommits}). A flag per thread, since the flow's
 * steps run in the thread that took the referral.
 */
final class CommitDeferral {

    /** Whether the thread committed on PostgreSQL without a WAL flush since its last flush. */
    private static final class State {
        private boolean unflushed;
        private boolean forced;
    }

    private static final ThreadLocal<State> DEFERRED = new ThreadLocal<>();

    private CommitDeferral() {
    }

    static void begin() {
        if (DEFERRED.get() == null) {
            DEFERRED.set(new State());
        }
    }

    static void end() {
        DEFERRED.remove();
    }

    static boolean active() {
        return DEFERRED.get() != null;
    }

    /** The thread committed without waiting for the WAL: the next {@link StorageSync#write} must flush it. */
    static void committedUnflushed() {
        State state = DEFERRED.get();
        if (state != null) {
            state.unflushed = true;
        }
    }

    /** The flow's receipt was forced to the disk: its later commits are left to the next write. */
    static void forced() {
        State state = DEFERRED.get();
        if (state != null) {
            state.forced = true;
        }
    }

    static boolean alreadyForced() {
        State state = DEFERRED.get();
        return state != null && state.forced;
    }

    static boolean unflushed() {
        State state = DEFERRED.get();
        return state != null && state.unflushed;
    }

    static void flushed() {
        State state = DEFERRED.get();
        if (state != null) {
            state.unflushed = false;
        }
    }
}
