package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C's hook in {@code listen}, run by the test ({@code ProviderListensOverAmqpEndToEndTest} presses the real key):
 * the copy being written is finished before the hook speaks, and no copy is written after it.
 */
class InterruptedListeningTest {

    @Test
    void aCopyBeingWrittenIsFinishedFirstAndNoneIsWrittenAfter() throws Exception {
        StringWriter said = new StringWriter();
        InterruptedListening interrupted = new InterruptedListening(new PrintWriter(said), Path.of("inbox"));
        interrupted.write(() -> { });
        CountDownLatch inTheWrite = new CountDownLatch(1);
        CountDownLatch diskDone = new CountDownLatch(1);
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> interrupted.write(() -> {
            inTheWrite.countDown();
            waitFor(diskDone);
        }));
        assertThat(inTheWrite.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> hook = CompletableFuture.runAsync(interrupted::say);
        await("nothing said while a copy is half-written").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> said.toString().isEmpty());
        diskDone.countDown();
        hook.get(10, TimeUnit.SECONDS);
        writing.get(10, TimeUnit.SECONDS);

        assertThat(said.toString()).contains("stopped (Ctrl-C or a stop signal); nothing is lost: a copy not yet settled stays on the queue",
                "2 copies written to inbox");
        AtomicBoolean later = new AtomicBoolean();
        Thread after = new Thread(() -> interrupted.write(() -> later.set(true)));
        after.setDaemon(true);
        after.start();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !later.get());
        assertThat(later).as("a copy arriving after Ctrl-C is not written (nor settled)").isFalse();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
