package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedRunTest {

    @Test
    void callersThatAskWhileARunIsUnderWayShareItsResultAndALaterCallerStartsANewRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        SharedRun<Integer> shared = new SharedRun<>(() -> {
            int run = runs.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return run;
        });
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            Future<Integer> first = callers.submit(shared::get);
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 1);
            CompletableFuture<Integer> second = new CompletableFuture<>();
            CompletableFuture<Integer> third = new CompletableFuture<>();
            Thread late = new Thread(() -> second.complete(shared.get()));
            Thread later = new Thread(() -> third.complete(shared.get()));
            late.start();
            later.start();
            // Both late callers are parked: waiting for the run under way (or, wrongly, in a run of their own).
            await().atMost(Duration.ofSeconds(10)).until(() -> late.getState() == Thread.State.WAITING
                    && later.getState() == Thread.State.WAITING);
            release.countDown();

            assertThat(first.get()).isEqualTo(1);
            assertThat(second.get()).isEqualTo(1);
            assertThat(third.get()).isEqualTo(1);
            assertThat(runs).hasValue(1);
            assertThat(shared.get()).as("after the run ended, a new one").isEqualTo(2);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aFailedRunFailsItsCallersAndTheNextCallRunsAgain() {
        AtomicInteger runs = new AtomicInteger();
        SharedRun<String> shared = new SharedRun<>(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("database gone");
            }
            return "ok";
        });

        assertThatThrownBy(shared::get).isInstanceOf(IllegalStateException.class).hasMessage("database gone");
        assertThat(shared.get()).isEqualTo("ok");
    }
}
