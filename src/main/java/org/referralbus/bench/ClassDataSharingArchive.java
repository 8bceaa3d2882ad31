package org.referralbus.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The training run of Spring Boot's documented class-data-sharing recipe ("Efficient deployments"), as
 * {@code bench --launch cds} does it before it starts the bus; the tests' own archive (test support's
 * {@code TestBusArchive}) is made the same way.
 */
public final class ClassDataSharingArchive {

    private ClassDataSharingArchive() {
    }

    /**
     * The application starts on a scratch data folder and free ports, with the default embedded database and
     * broker, until its context is refreshed ({@code -Dspring.context.exit=onRefresh}), and the JVM writes the classes
     * it loaded to {@code archive} at exit ({@code -XX:ArchiveClassesAtExit}). Done once per release, like extracting:
     * not part of start-up. The scratch folder is deleted afterwards; its output is {@code cds-training.log} beside
     * the archive.
     *
     * @param application how the bus is launched (JVM options if any, then {@code -jar <jar>} or {@code -cp <jars>
     *                    <main class>}, then its arguments); every class path entry must be a jar, as the archive
     *                    records them
     * @throws IllegalStateException if no archive was written, naming the log
     */
    public static void train(String heap, List<String> application, Path archive, Path scratch) {
        List<String> command = new ArrayList<>(List.of(BenchBus.java(), "-Xmx" + heap,
                "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh"));
        command.addAll(application);
        command.addAll(List.of("--referral-bus.data-dir=" + scratch, "--server.port=0",
                "--referral-bus.broker.port=0"));
        try {
            Files.createDirectories(scratch);
            Files.createDirectories(archive.getParent());
            Process training = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log(archive).toFile()).start();
            if (!training.waitFor(10, TimeUnit.MINUTES) || training.exitValue() != 0 || !Files.isRegularFile(archive)) {
                training.destroyForcibly();
                throw new IllegalStateException("Could not build the class-data-sharing archive " + archive + "; see "
                        + log(archive));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while building " + archive, e);
        } finally {
            try {
                BenchBus.deleteTree(scratch);
            } catch (IOException e) {
                // a scratch folder under the data folder: left for the bench's own clean-up
            }
        }
    }

    /** The training run's output, beside the archive. */
    public static Path log(Path archive) {
        return archive.resolveSibling("cds-training.log");
    }
}
