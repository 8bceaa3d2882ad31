package org.referralbus.system;

import static org.referralbus.support.LocalMachine.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.LocalMachine;
import org.referralbus.support.MainClassesJar;
import org.referralbus.support.MutualTlsClient;

/**
 * The packaged configuration resolves from the bus's home folder, not the working directory: a bus whose classes are in
 * {@code <home>/referral-bus.jar} next to {@code routes/} and {@code keys-sample/}, started from an empty folder, comes
 * up with its sample set-up, writes nothing into that folder, binds HTTPS to loopback and logs its summary. A home
 * without those files stops the bus with one line naming the file and the home.
 */
class HomeFolderEndToEndTest {

    @TempDir
    Path temp;

    @Test
    void theJarStartsFromAnEmptyWorkingDirectoryWithTheFilesOfItsHomeFolder() throws Exception {
        Path home = Files.createDirectories(temp.resolve("home"));
        Path emptyWorkingDirectory = Files.createDirectories(temp.resolve("elsewhere"));
        Path jar = MainClassesJar.write(home.resolve("referral-bus.jar"));
        copy(Path.of("routes"), home.resolve("routes"));
        copy(Path.of("keys-sample"), home.resolve("keys-sample"));
        int port = freePort();
        Path log = temp.resolve("bus.log");

        Process bus = start(emptyWorkingDirectory, MainClassesJar.classpathWith(jar), log, "--server.port=" + port,
                "--referral-bus.broker.port=" + freePort());
        try {
            MutualTlsClient anonymous = MutualTlsClient.anonymous("https://localhost:" + port);
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                assertThat(bus.isAlive()).as(() -> read(log)).isTrue();
                return anonymous.get("/actuator/health").statusCode() == 200;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> read(log).contains("referral-bus ready"));
        } finally {
            bus.destroy();
            bus.waitFor(60, TimeUnit.SECONDS);
        }

        String output = read(log);
        String summary = output.lines().filter(line -> line.contains("referral-bus ready")).findFirst().orElseThrow();
        assertThat(summary).contains("bus certificate CN=referral-bus,OU=bus", "sha256=", "trust anchors 1 [CN=Referral Bus Sample CA",
                "agencies 4, providers 7", "database jdbc:h2:file:" + home.resolve("data"), "broker embedded, acceptor 127.0.0.1:",
                "HTTPS on 127.0.0.1:" + port);
        assertThat(output).doesNotContain("generated security password").doesNotContain("password=");
        assertThat(Files.isDirectory(home.resolve("data/db"))).isTrue();
        try (Stream<Path> created = Files.list(emptyWorkingDirectory)) {
            assertThat(created).as("nothing written into the working directory").isEmpty();
        }
    }

    @Test
    void aHomeWithoutTheSampleFilesStopsTheBusWithOneLine() throws Exception {
        Path home = Files.createDirectories(temp.resolve("empty-home"));
        Path log = temp.resolve("refused.log");

        Process bus = start(Files.createDirectories(temp.resolve("cwd")), System.getProperty("java.class.path"), log,
                "--referral-bus.home=" + home, "--server.port=0", "--referral-bus.broker.port=" + freePort());
        boolean exited = bus.waitFor(240, TimeUnit.SECONDS);
        if (!exited) {
            bus.destroyForcibly().waitFor();
        }

        String output = read(log);
        assertThat(exited).as(output).isTrue();
        assertThat(bus.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("referral-bus cannot start: File not found: " + home + "/", "referral-bus.home is " + home);
        assertThat(output.lines().filter(line -> line.startsWith("\tat ") || line.contains("Caused by:"))).isEmpty();
    }

    private static Process start(Path workingDirectory, String classpath, Path log, String... arguments) throws IOException {
        List<String> command = LocalMachine.busJvm("512m", classpath);
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }
}
