package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.referralbus.support.TestBusArchive;

/**
 * {@code bench --launch cds}'s training run ({@link ClassDataSharingArchive#train}, the recipe operators.md gives): the
 * bus starts in it as far as its database (Flyway's validation in the run's log) without failing, the JVM writes an
 * archive, and nothing of the run's scratch data folder is left. The run checked is the one that made the tests' own
 * archive ({@link TestBusArchive}, once per build of the main classes): training a second one here cost the suite a
 * minute. That a later JVM maps the archive and takes the bus's classes from it is {@code TestBusArchiveTest}'s to
 * show.
 */
class ClassDataSharingArchiveTest {

    @Test
    @Timeout(600)
    void theTrainingRunWritesAnArchiveAndLeavesNothingOfItsScratchFolder() throws Exception {
        assertThat(TestBusArchive.forTestClasspath()).as("the tests' archive, built by the training run").isPresent();

        Path archive = TestBusArchive.archive();
        assertThat(archive).isRegularFile();
        assertThat(TestBusArchive.trainingScratch()).doesNotExist();
        String training = Files.readString(ClassDataSharingArchive.log(archive), StandardCharsets.UTF_8);
        assertThat(training).contains("Successfully validated").doesNotContain("APPLICATION FAILED TO START");
    }
}
