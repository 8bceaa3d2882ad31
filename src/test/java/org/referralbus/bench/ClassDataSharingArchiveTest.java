package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.ReferralBusApplication;
import org.referralbus.support.MainClassesJar;

/**
 * {@code bench --launch cds}'s training run ({@link ClassDataSharingArchive#train}, the recipe operators.md gives): it writes
 * an archive that a later JVM on the same class path maps, leaves nothing of its scratch data folder, and never
 * touches the bus's own data folder.
 */
class ClassDataSharingArchiveTest {

    @TempDir
    Path temp;

    @Test
    @Timeout(300)
    void theTrainingRunWritesAnArchiveThatTheNextJvmLoadsTheBusClassesFrom() throws Exception {
        String classPath = MainClassesJar.classpathWith(MainClassesJar.write(temp.resolve("referral-bus.jar")));
        Path archive = temp.resolve("app").resolve("referral-bus.jsa");
        Path scratch = temp.resolve("cds-training");

        ClassDataSharingArchive.train("512m", List.of("-cp", classPath, ReferralBusApplication.class.getName(),
                "--referral-bus.home=" + Path.of("").toAbsolutePath()), archive, scratch);

        assertThat(archive).isRegularFile();
        assertThat(scratch).doesNotExist();
        String training = Files.readString(archive.resolveSibling("cds-training.log"), StandardCharsets.UTF_8);
        assertThat(training).contains("Successfully validated").doesNotContain("APPLICATION FAILED TO START");

        Process next = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info", "-cp", classPath,
                ReferralBusApplication.class.getName(), "keys", "--help").redirectErrorStream(true).start();
        String loaded = new String(next.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(loaded).contains(ReferralBusApplication.class.getName() + " source: shared objects file (top)");
    }
}
