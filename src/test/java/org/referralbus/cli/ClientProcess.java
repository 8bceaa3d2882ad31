package org.referralbus.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.referralbus.support.LocalMachine;

/**
 * A client command in a JVM of its own, as a clerk runs {@code java -jar referral-bus.jar …} (this build's classes, the
 * jar's main class: the jar itself is built after the tests), so that a test can press Ctrl-C: SIGINT by {@code kill
 * -INT}, which runs the JVM's shutdown hooks as the terminal's Ctrl-C does ({@link Process#destroy()} sends SIGTERM).
 */
final class ClientProcess implements AutoCloseable {

    /** The shell's exit status of a JVM ended by SIGINT (128 + 2). */
    static final int ENDED_BY_CTRL_C = 130;

    private final Process process;
    private final Path out;
    private final Path err;

    private ClientProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code args} with the project folder as working directory (keys-sample as the defaults find it). */
    static ClientProcess start(Path logs, String... args) throws IOException {
        List<String> command = LocalMachine.busJvm("256m", System.getProperty("java.class.path"));
        command.addAll(List.of(args));
        Files.createDirectories(logs);
        Path out = logs.resolve("stdout.txt");
        Path err = logs.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new ClientProcess(process, out, err);
    }

    /** Ctrl-C. */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -INT " + process.pid() + " failed");
        }
    }

    /** The exit code once it ended within {@code seconds}; fails the test if it is still running then. */
    int exitWithin(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("still running " + seconds + " s after Ctrl-C; printed: " + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    String output() {
        return out() + err();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
