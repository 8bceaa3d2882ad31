package org.referralbus.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.referralbus.cli.ReferralBusCommandLine;

/**
 * The standalone Artemis broker as an operator builds it: {@code referral-bus.jar broker-config} writes its
 * configuration, {@code deploy/artemis.sh create} makes an instance from the official 2.40.0 distribution (fetched
 * through Maven on first use), {@code deploy/artemis.sh run} runs it. Listens on a free port on 127.0.0.1.
 */
public final class StandaloneArtemis implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** Artemis's "Server is now active": it serves clients (a backup logs it when it takes over). */
    public static final String ACTIVE = "AMQ221007";
    /**
     * For Artemis's own start script ({@code bin/artemis} appends it to the instance's JVM options): test brokers live
     * seconds, too short for C2 to repay its compilations, so they compile with C1 only, as the buses tests start.
     */
    public static final Map<String, String> C1_ONLY = Map.of("JAVA_ARGS_APPEND", "-XX:TieredStopAtLevel=1");

    private final Path instance;
    private final int port;
    private final Path log;
    private Process process;

    private StandaloneArtemis(Path instance, int port) {
        this.instance = instance;
        this.port = port;
        this.log = instance.resolveSibling("artemis.log");
    }

    /** Writes the configuration, creates the instance under {@code workDir} and starts it; returns once it is active. */
    public static StandaloneArtemis start(Path workDir, String... brokerConfigOptions) {
        return start(workDir, LocalMachine.freePort(), ACTIVE, brokerConfigOptions);
    }

    /**
     * As {@link #start(Path, String...)} with the participants' acceptor on {@code port}, returning once the log
     * shows {@code awaitedLogCode} (a backup of a pair is never {@link #ACTIVE} at start: it waits for its primary).
     */
    public static StandaloneArtemis start(Path workDir, int port, String awaitedLogCode, String... brokerConfigOptions) {
        Path config = workDir.resolve("broker-config");
        List<String> arguments = new ArrayList<>(List.of("broker-config", "--output", config.toString(),
                "--referral-bus.broker.port=" + port));
        arguments.addAll(List.of(brokerConfigOptions));
        StringWriter output = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(output), arguments.toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("broker-config failed (" + exit + "):\n" + output);
        }
        StandaloneArtemis broker = new StandaloneArtemis(workDir.resolve("instance"), port);
        script("create", broker.instance.toString(), config.toString());
        broker.run(awaitedLogCode);
        return broker;
    }

    public int port() {
        return port;
    }

    public Path instance() {
        return instance;
    }

    private void run(String awaitedLogCode) {
        try {
            process = artemisSh("run", instance.toString()).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitLog(awaitedLogCode, 1, START_TIMEOUT);
    }

    /** Waits until the log holds {@code code} at least {@code times} times (Artemis logs AMQ codes, e.g. {@link #ACTIVE}). */
    public void awaitLog(String code, int times, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Artemis exited with " + process.exitValue() + ":\n" + logTail());
            }
            return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).split(code, -1).length - 1 >= times;
        });
    }

    /** SIGKILL of the broker's JVM (and the script that ran it): no shutdown, no journal close, no goodbye to clients. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code deploy/artemis.sh} with {@code arguments}, output and errors together, its broker on C1 only. */
    private static ProcessBuilder artemisSh(String... arguments) {
        List<String> command = new ArrayList<>(List.of("deploy/artemis.sh"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(C1_ONLY);
        return builder;
    }

    private static void script(String... arguments) {
        try {
            Process script = artemisSh(arguments).start();
            String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!script.waitFor(5, TimeUnit.MINUTES) || script.exitValue() != 0) {
                throw new IllegalStateException("deploy/artemis.sh " + String.join(" ", arguments) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
