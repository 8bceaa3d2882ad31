package org.referralbus.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

/**
 * Runs a target on fuzzed inputs, each with a timeout, and accepts only success or a {@link ReferralBusException}
 * with one of the expected codes. Iterations and seed come from {@code -Dfuzz.iterations} (default 2 000) and
 * {@code -Dfuzz.seed}; a failing input is written to {@code target/fuzz-failures/} for replay.
 */
public final class FuzzRun {

    public static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 2_000);
    public static final long SEED = Long.getLong("fuzz.seed", 20261128L);
    private static final long TIMEOUT_SECONDS = 10;

    private FuzzRun() {
    }

    /** Statistics of one run, for the test's output. */
    public record Outcome(int accepted, int rejected) {
    }

    public static Outcome run(String name, SeededMutator mutator, Set<ErrorCode> expected, Consumer<byte[]> target)
            throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "fuzz-" + name);
            thread.setDaemon(true);
            return thread;
        });
        int accepted = 0;
        int rejected = 0;
        try {
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] input = mutator.next();
                Future<?> result = worker.submit(() -> target.accept(input));
                try {
                    result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    accepted++;
                } catch (TimeoutException e) {
                    throw failure(name, i, input, "no answer within " + TIMEOUT_SECONDS + " s", null);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof ReferralBusException rejection && expected.contains(rejection.errorCode())) {
                        rejected++;
                    } else {
                        throw failure(name, i, input, "unexpected outcome", e.getCause());
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
        System.out.printf("fuzz %s: %d iterations (seed %d): %d accepted, %d cleanly rejected%n", name, ITERATIONS, SEED,
                accepted, rejected);
        return new Outcome(accepted, rejected);
    }

    private static AssertionError failure(String name, int iteration, byte[] input, String what, Throwable cause) {
        Path saved = Path.of("target", "fuzz-failures", name + "-seed" + SEED + "-iteration" + iteration + ".bin");
        try {
            Files.createDirectories(saved.getParent());
            Files.write(saved, input);
        } catch (java.io.IOException e) {
            saved = null;
        }
        String head = HexFormat.of().formatHex(input, 0, Math.min(input.length, 64));
        return new AssertionError("fuzz " + name + " iteration " + iteration + " (seed " + SEED + "): " + what
                + "; input saved to " + saved + ", starts " + head, cause);
    }
}
