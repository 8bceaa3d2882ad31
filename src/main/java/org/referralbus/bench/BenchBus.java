package org.referralbus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The bus under test in a JVM of its own, as an operator runs it: the default embedded broker and database (or the
 * given PostgreSQL), durable (journal synced, commits written and forced before each receipt), on free ports under a
 * fresh data directory, with only the per-participant rate limit and the per-address limit off (the benchmark is one
 * address sending as fast as it can). Its output goes to {@code bus.log} in the data directory. RSS is read
 * from outside ({@code /proc/<pid>/status}); the heap, by {@link HeapSampler}.
 */
final class BenchBus implements AutoCloseable {

    /** By name: the application class is the wiring, which a feature does not import. */
    private static final String MAIN_CLASS = "org.referralbus.ReferralBusApplication";

    private final Path dataDir;
    private final int httpPort = freePort();
    private final int brokerPort = freePort();
    private final Process process;
    private final double startSeconds;

    private BenchBus(Path dataDir, List<String> command, SSLContext anonymousTls) {
        this.dataDir = dataDir;
        List<String> full = new ArrayList<>(command);
        full.add("--server.port=" + httpPort);
        full.add("--referral-bus.broker.port=" + brokerPort);
        long start = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            this.process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("bus.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitHealthy(anonymousTls);
        this.startSeconds = (System.nanoTime() - start) / 1e9;
    }

    /**
     * @param springArguments e.g. the PostgreSQL datasource; {@code jvmOptions} e.g. a flight recording
     * @param launch the fat jar as it is, extracted ({@link #extract}), or extracted with a class-data-sharing archive
     *               ({@link ClassDataSharingArchive#train})
     */
    static BenchBus start(Path dataDir, String heap, List<String> jvmOptions, List<String> springArguments, SSLContext tls,
                          BenchCommand.Launch launch) {
        List<String> application = new ArrayList<>();
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            // The fat jar, or (the deployment operators.md recommends) the same jar extracted: not part of start-up.
            application.addAll(List.of("-jar", launch == BenchCommand.Launch.jar ? classPath
                    : extract(Path.of(classPath), dataDir.resolve("app")).toString()));
        } else {
            application.addAll(List.of("-cp", classPath, MAIN_CLASS));
        }
        // The bench runs from the project folder; the jar's own folder (target/) holds no routes/ or keys-sample/.
        application.add("--referral-bus.home=" + Path.of("").toAbsolutePath());
        // A fixed heap, as the production recipe starts it (operators.md, "Heap: a fixed size"): G1 otherwise starts
        // small and shrinks its young generation as the old one fills, collecting several times a second under load.
        List<String> command = new ArrayList<>(List.of(java(), "-Xms" + heap, "-Xmx" + heap));
        if (launch == BenchCommand.Launch.cds) {
            Path archive = dataDir.resolve("app").resolve("referral-bus.jsa");
            if (!Files.isRegularFile(archive)) { // a restart on the same data (--prefill) keeps it
                ClassDataSharingArchive.train(heap, application, archive, dataDir.resolve("cds-training"));
            }
            command.add("-XX:SharedArchiveFile=" + archive);
        }
        command.addAll(jvmOptions);
        command.addAll(application);
        command.add("--referral-bus.data-dir=" + dataDir);
        command.add("--referral-bus.intake.rate-limit.enabled=false");
        command.add("--referral-bus.intake.address-limit.enabled=false");
        command.addAll(springArguments);
        BenchBus bus = new BenchBus(dataDir, command, tls);
        if (launch == BenchCommand.Launch.cds && bus.log().contains("Unable to use shared archive")) {
            // The JVM starts without an archive it cannot use (another class path or JVM): that start is not the one asked for.
            bus.close();
            throw new IllegalStateException("The bus started without its class-data-sharing archive; see " + dataDir.resolve("bus.log"));
        }
        return bus;
    }

    /**
     * {@code java -Djarmode=tools -jar referral-bus.jar extract}: the application jar with its libraries beside it, so
     * classes load from plain jars instead of jars nested in the fat jar (Spring Boot, "Efficient deployments").
     */
    static Path extract(Path fatJar, Path destination) {
        Path thin = destination.resolve(fatJar.getFileName());
        if (Files.isRegularFile(thin)) {
            return thin; // a restart on the same data (--prefill)
        }
        try {
            Process extract = new ProcessBuilder(java(), "-Djarmode=tools", "-jar", fatJar.toString(), "extract",
                    "--destination", destination.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!extract.waitFor(5, TimeUnit.MINUTES) || extract.exitValue() != 0 || !Files.isRegularFile(thin)) {
                throw new IllegalStateException("Could not extract " + fatJar + " into " + destination);
            }
            return thin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while extracting " + fatJar, e);
        }
    }

    /** Deletes the folder and everything in it, if it exists. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    String baseUrl() {
        return "https://localhost:" + httpPort;
    }

    String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    double startSeconds() {
        return startSeconds;
    }

    /** CPU time the bus process has used so far (user and system, all threads): its work, whatever the machine's load. */
    Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The bus's threads and the CPU each has used so far ({@link ThreadCpu}). */
    Map<Long, ThreadCpu.Used> threadCpu() {
        return ThreadCpu.snapshot(process.pid());
    }

    /** The process's peak resident set (VmHWM), in MB; 0 where /proc is not available. */
    long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    String logTail() {
        List<String> lines = log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private String log() {
        try {
            return Files.readString(dataDir.resolve("bus.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGTERM, so the database and the broker close cleanly and the database can be read afterwards. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitHealthy(SSLContext tls) {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The bus exited with " + process.exitValue() + " while starting; see "
                        + dataDir.resolve("bus.log") + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the bus was starting", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the bus was starting", e);
            }
        }
        close();
        throw new IllegalStateException("The bus did not answer /actuator/health within 180 s; see " + dataDir.resolve("bus.log"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
