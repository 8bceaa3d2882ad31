package org.referralbus.system;

/**
 * Marks the thread that is running the referral flow: its commits may stay in memory (H2) or off the disk
 * (PostgreSQL: committed without waiting for the WAL flush), because the flow writes them before any of its messages
 * leaves for the broker ({@link WriteBeforeSend}) and writes and forces them before its receipt
 * ({@link StorageSync#force}). Every other thread's commits are durable before they return ({@link WrittenCommits}).
 * A flag per thread, since the flow's steps run in the thread that took the referral.
 */
final class CommitDeferral {

    /** Whether the thread committed on PostgreSQL without a WAL flush since its last flush. */
    private static final class State {
        private boolean unflushed;
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
