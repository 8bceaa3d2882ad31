package org.referralbus.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.referralbus.ReferralBusApplication;
import org.referralbus.bench.ClassDataSharingArchive;

/**
 * One class-data-sharing archive for the buses and command-line clients the tests start in JVMs of their own
 * ({@link LocalMachine#busJvm}). Such a JVM then maps the classes it would otherwise load, link and verify one by one:
 * a bus starts in about half the time on a 2-core machine (6.6–7.8 s against 12.2–16.1 s; docs/development.md, "A
 * class-data-sharing archive for the tests' buses"), and the crash and cluster tests start one after every kill.
 *
 * <p>An archive records jars only, so those JVMs run this build's main classes from {@code target/test-bus-classes.jar}
 * (in {@code target/}, so the checkout is their home folder, as for {@code target/referral-bus.jar}) and the
 * dependencies' jars, without the test classes: the product's own class path. It is built by the bench's training run
 * to the context's refresh ({@link ClassDataSharingArchive}, operators.md's recipe), once per build of the main
 * classes, under a file lock that the test JVMs running side by side share. If it cannot be built, the tests start
 * their JVMs from the class folders as before, only slower, and say so once on standard error.
 */
public final class TestBusArchive {

    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path FOLDER = TARGET.resolve("test-bus");
    private static final Path JAR = TARGET.resolve("test-bus-classes.jar");
    private static final Path ARCHIVE = FOLDER.resolve("test-bus.jsa");
    private static final Path KEY = FOLDER.resolve("key");
    private static final Path TRAINING_SCRATCH = FOLDER.resolve("training");

    /** The JVM options and class path of a launch with the archive. */
    public record Launch(List<String> jvmOptions, String classpath) {
    }

    private static Optional<Launch> launch;

    private TestBusArchive() {
    }

    /** The launch with the archive for this test JVM's class path; builds the archive first if this build has none. */
    public static synchronized Optional<Launch> forTestClasspath() {
        if (launch == null) {
            launch = prepare();
        }
        return launch;
    }

    /** The archive {@link #forTestClasspath} builds; its training run's output is beside it. */
    public static Path archive() {
        return ARCHIVE;
    }

    /** The scratch data folder of the archive's training run, which the run deletes when it ends. */
    public static Path trainingScratch() {
        return TRAINING_SCRATCH;
    }

    private static Optional<Launch> prepare() {
        try {
            Files.createDirectories(FOLDER);
            try (FileChannel lockFile = FileChannel.open(FOLDER.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                String classpath = MainClassesJar.classpathWith(JAR);
                String key = key(classpath);
                if (!Files.isRegularFile(JAR) || !Files.isRegularFile(ARCHIVE) || !Files.isRegularFile(KEY)
                        || !Files.readString(KEY).equals(key)) {
                    Files.deleteIfExists(KEY);
                    Files.deleteIfExists(ARCHIVE);
                    MainClassesJar.write(JAR);
                    // C1 only, as the JVMs that will map it; the training run's output is beside the archive.
                    ClassDataSharingArchive.train("512m", List.of("-XX:TieredStopAtLevel=1", "-cp", classpath,
                            ReferralBusApplication.class.getName()), ARCHIVE, TRAINING_SCRATCH);
                    Files.writeString(KEY, key);
                }
                // Silent if the JVM cannot map it after all (it then loads every class itself): tests compare what the
                // bus prints. TestBusArchiveTest checks that it maps.
                return Optional.of(new Launch(List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:cds=off",
                        "-Xlog:cds+dynamic=off"), classpath));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("Test buses start without a class-data-sharing archive (" + e.getMessage() + "); see "
                    + ClassDataSharingArchive.log(ARCHIVE));
            return Optional.empty();
        }
    }

    /** What the archive depends on: the main classes (names, sizes, times) and the jars on the class path. */
    private static String key(String classpath) {
        Path classes = TARGET.resolve("classes");
        try (Stream<Path> files = Files.walk(classes)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(classpath.getBytes(StandardCharsets.UTF_8));
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                digest.update((classes.relativize(file).toString().replace(File.separatorChar, '/') + "\0").getBytes(
                        StandardCharsets.UTF_8));
                digest.update(ByteBuffer.allocate(16).putLong(Files.size(file))
                        .putLong(Files.getLastModifiedTime(file).toMillis()).flip());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
