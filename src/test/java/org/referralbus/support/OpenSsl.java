package org.referralbus.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code openssl} binary in a working directory, with a timeout; never throws on exit codes. */
public final class OpenSsl {

    /** The outcome of one run; {@code output} is stdout and stderr together. */
    public record Result(int exitCode, String output) {
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("openssl exited " + exitCode + ": " + output);
            }
            return this;
        }
    }

    private static final long TIMEOUT_SECONDS = 20;

    private final Path workingDirectory;

    public OpenSsl(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    public static boolean available() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Result run(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        try {
            Path log = Files.createTempFile(workingDirectory, "openssl", ".log");
            // No input: s_client reads what to send from it and would otherwise wait for the timeout.
            Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectInput(new java.io.File("/dev/null"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("openssl timed out: " + command);
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
