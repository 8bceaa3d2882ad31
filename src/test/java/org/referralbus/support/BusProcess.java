package org.referralbus.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real bus in a JVM of its own (this test's classpath, the project folder as working directory), so that a test
 * can kill it with SIGKILL ({@link #kill()}) and start it again on the same data directory and ports, as an operator's
 * service manager would. Its output is appended to {@code bus.log} in the data directory, one section per start.
 */
public final class BusProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int httpPort = LocalMachine.freePort();
    private final int brokerPort = LocalMachine.freePort();
    private final List<String> extraArguments;
    private final Path log;
    private Process process;
    private int starts;

    private BusProcess(Path dataDir, List<String> extraArguments) {
        this.dataDir = dataDir;
        this.extraArguments = extraArguments;
        this.log = dataDir.resolve("bus.log");
    }

    /** A bus on this data directory with ports chosen now and kept across restarts; not started yet. */
    public static BusProcess on(Path dataDir, String... extraArguments) {
        return new BusProcess(dataDir, List.of(extraArguments));
    }

    /** Starts the JVM and returns once {@code /actuator/health} answers 200. */
    public BusProcess start() {
        List<String> command = LocalMachine.busJvm("512m", System.getProperty("java.class.path"));
        command.addAll(List.of("--referral-bus.data-dir=" + dataDir, "--server.port=" + httpPort,
                "--referral-bus.broker.port=" + brokerPort));
        command.addAll(extraArguments);
        try {
            Files.writeString(log, "==== start " + (++starts) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitHealthy();
        return this;
    }

    /** SIGKILL: no shutdown hook, no flush, no graceful close of the database or the broker. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: Spring closes the context, the database and the broker. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitForExit();
        }
    }

    public String baseUrl() {
        return "https://localhost:" + httpPort;
    }

    /** The port of the broker's TLS acceptor (clients: {@link BrokerClients}). */
    public int brokerPort() {
        return brokerPort;
    }

    /** The embedded H2 database's JDBC URL (usable once the bus is stopped: the file is locked while it runs). */
    public String databaseUrl() {
        return "jdbc:h2:file:" + dataDir.resolve("db/referral-bus");
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    private void awaitHealthy() {
        MutualTlsClient anonymous = MutualTlsClient.anonymous(baseUrl());
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("The bus exited with " + process.exitValue() + " while starting:\n"
                                    + logTail(40));
                        }
                        return anonymous.get("/actuator/health").statusCode() == 200;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("The bus did not become healthy within " + START_TIMEOUT + ":\n" + logTail(40), e);
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
