package org.referralbus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVMs the tests start for a bus or a client map the tests' class-data-sharing archive: the bus's own classes come
 * from it, not from the jar, and the test classes are not on their class path. If the archive stopped mapping, the
 * suite would only get slower (its JVMs say nothing about it), so this is where it shows.
 */
class TestBusArchiveTest {

    @TempDir
    Path temp;

    @Test
    void aClientJvmLoadsTheBusClassesFromTheArchive() throws Exception {
        List<String> command = LocalMachine.busJvm("128m", System.getProperty("java.class.path"));
        command.add(1, "-Xlog:class+load=info");
        command.addAll(List.of("audit", "verify", "--help"));
        Path out = temp.resolve("out.txt");
        Process client = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);

        assertThat(client.exitValue()).as(output).isZero();
        assertThat(output).contains("Walks the trail");
        assertThat(output.lines().filter(line -> line.contains(" org.referralbus.ReferralBusApplication source:")))
                .as("where the main class came from").singleElement().asString().endsWith("source: shared objects file (top)");
        assertThat(command.get(command.indexOf("-cp") + 1)).contains("test-bus-classes.jar").doesNotContain("test-classes");
    }
}
