package org.referralbus.audit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Runs a costly computation once for all the callers that ask while it runs: the first caller runs it, the others
 * wait for and share its result (or its exception); a caller arriving after it ended starts a new run. So N
 * concurrent requests cost one run, never N side by side.
 */
final class SharedRun<T> {

    private final Supplier<T> computation;
    private CompletableFuture<T> running;

    SharedRun(Supplier<T> computation) {
        this.computation = computation;
    }

    T get() {
        CompletableFuture<T> run;
        boolean mine = false;
        synchronized (this) {
            if (running == null) {
                running = new CompletableFuture<>();
                mine = true;
            }
            run = running;
        }
        if (mine) {
            try {
                run.complete(computation.get());
            } catch (RuntimeException | Error e) {
                run.completeExceptionally(e);
            } finally {
                synchronized (this) {
                    running = null;
                }
            }
        }
        try {
            return run.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
