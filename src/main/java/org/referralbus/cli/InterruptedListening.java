package org.referralbus.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What Ctrl-C (or a service manager's stop, SIGTERM) does to {@code listen}: a shutdown hook that lets a copy being
 * written finish (its files whole, no {@code .part} left behind), writes no copy after it, and says that nothing is
 * lost. Without it the JVM stopped wherever it was, and the clerk, told nothing, could not know whether the copy on its
 * way was gone.
 */
final class InterruptedListening {

    /** How long the hook waits for a copy being written: a disk that takes longer must not keep Ctrl-C from working. */
    static final long WRITE_GRACE_SECONDS = 10;

    private final PrintWriter console;
    private final Path out;
    private final ShutdownHook hook = new ShutdownHook("listen-interrupted", this::say);
    private final ReentrantLock writing = new ReentrantLock();
    private final Condition never = writing.newCondition();
    private volatile boolean stopping;
    private volatile int written;

    InterruptedListening(PrintWriter console, Path out) {
        this.console = console;
        this.out = out;
    }

    void install() {
        hook.install();
    }

    void remove() {
        hook.remove();
    }

    /** Writes one copy, unless Ctrl-C came first: then it waits, unwritten and unsettled, for the JVM to stop. */
    void write(Runnable copy) {
        writing.lock();
        try {
            while (stopping) {
                never.awaitUninterruptibly(); // left on the queue: the broker sends it again to the next listen
            }
            copy.run();
            written++;
        } finally {
            writing.unlock();
        }
    }

    /** The hook's work; package-private so that a test can run it without stopping its JVM. */
    void say() {
        stopping = true;
        boolean finished;
        try {
            finished = writing.tryLock(WRITE_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        try {
            console.println(finished ? "stopped (Ctrl-C or a stop signal); nothing is lost: a copy not yet settled stays on the"
                    + " queue and comes again when listen is started again"
                    : "stopped (Ctrl-C or a stop signal) while a copy was still being written after " + WRITE_GRACE_SECONDS
                    + " s (a slow or full disk?); it was not settled, stays on the queue and comes again when listen is started"
                    + " again");
            console.println(written + " copies written to " + out);
            console.flush();
        } finally {
            if (finished) {
                writing.unlock();
            }
        }
    }
}
