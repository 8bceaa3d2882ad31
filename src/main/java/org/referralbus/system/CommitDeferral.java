package org.referralbus.system;

/**
 * Marks the thread that is running the referral flow: its H2 commits may stay in memory, because the flow writes
 * them to the file before any of its messages leaves for the broker ({@link WriteBeforeSend}) and writes and forces
 * them before its receipt ({@link StorageSync#force}). Every other thread's commits are written before they return
 * ({@link WrittenCommits}). A flag per thread, since the flow's steps run in the thread that took the referral.
 */
final class CommitDeferral {

    private static final ThreadLocal<Boolean> DEFERRED = new ThreadLocal<>();

    private CommitDeferral() {
    }

    static void begin() {
        DEFERRED.set(Boolean.TRUE);
    }

    static void end() {
        DEFERRED.remove();
    }

    static boolean active() {
        return DEFERRED.get() != null;
    }
}
