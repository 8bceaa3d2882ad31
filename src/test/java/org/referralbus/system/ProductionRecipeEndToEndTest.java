package org.referralbus.system;

import static org.referralbus.support.LocalMachine.freePort;
import static org.referralbus.support.LocalMachine.onPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.ReferralBusApplication;
import org.referralbus.support.MainClassesJar;
import org.referralbus.support.OpenSsl;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.ScratchPostgresDatabase;

/**
 * Runs {@code docs/recipes/production.sh}, the production set-up of docs/operators.md, as an operator would: a fresh
 * PKI made with openssl, the {@code prod} profile on a throw-away PostgreSQL database, both keys from PKCS#12 with
 * their passwords in the environment, the person-key secret from a file; then an agency clerk submits with openssl and
 * curl, the provider fetches and opens its copy with openssl, the bus restarts (mapping the class-data-sharing archive
 * the recipe's {@code archive} wrote), and {@code audit verify} with the same
 * configuration exits 0. No password of the recipe appears in any output.
 */
class ProductionRecipeEndToEndTest {

    private static final Path RECIPE = Path.of("docs/recipes/production.sh").toAbsolutePath();

    @TempDir
    Path temp;

    @Test
    void theRecipeRunsFromAFreshPkiToAVerifiedTrailOnPostgres() throws Exception {
        assumeTrue(OpenSsl.available(), "needs the openssl binary");
        assumeTrue(onPath("curl") && onPath("jq"), "needs curl and jq");
        assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432 (the CI starts it)");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create()) {
            int https = freePort();
            Map<String, String> environment = new HashMap<>(Map.of("CONF", temp.resolve("conf").toString(),
                    "DATA", temp.resolve("data").toString(), "BUS_HOST", "localhost", "BIND", "127.0.0.1",
                    "HTTPS_PORT", Integer.toString(https), "BROKER_PORT", Integer.toString(freePort()),
                    "DB_URL", database.url(), "DB_USER", "postgres", "OUT", Files.createDirectories(temp.resolve("inbox")).toString()));
            // The bus as the jar would run, from this build's classes (in a jar: a class-data-sharing archive records
            // jars only); its home (routes/) is the project folder.
            environment.put("REFERRAL_BUS", String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-Dreferral-bus.home=" + Path.of("").toAbsolutePath(),
                    "-cp", MainClassesJar.classpathWith(MainClassesJar.write(temp.resolve("referral-bus.jar"))),
                    ReferralBusApplication.class.getName()));

            Run setup = run(environment, "setup");
            assertThat(setup.exit()).as(setup.output()).isZero();
            Run archived = run(environment, "archive");
            Path archive = temp.resolve("data").resolve("referral-bus.jsa");
            assertThat(archived.exit()).as(archived.output()).isZero();
            assertThat(archived.output()).contains("class-data-sharing archive: " + archive);
            assertThat(archive).isRegularFile();
            assertThat(temp.resolve("data")).as("the training run's data stayed in its scratch folder")
                    .isDirectoryNotContaining("glob:**/{db,artemis}");
            Path referral = temp.resolve("referral.xml");
            String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
            Files.writeString(referral, xml);
            String referralId = ReferralExamples.referralId(xml);

            Process bus = start(environment, temp.resolve("bus-1.log"));
            String firstStart;
            try {
                Run submitted = run(environment, "submit", referral.toString());
                assertThat(submitted.exit()).as(submitted.output()).isZero();
                assertThat(submitted.output()).contains("\"referralId\":\"" + referralId + "\"");

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    Run fetched = run(environment, "fetch");
                    assertThat(fetched.exit()).as(fetched.output()).isZero();
                    return fetched.output().contains("opened");
                });
                assertThat(openedDeliveries()).anySatisfy(opened -> assertThat(opened)
                        .contains("urn:referral-bus:delivery:1", referralId, "shelter-dushanbe"));
            } finally {
                firstStart = stop(bus, temp.resolve("bus-1.log"));
            }
            assertThat(firstStart).as("start fixes the heap (HEAP, default 512m) and maps the archive")
                    .contains("Picked up JAVA_TOOL_OPTIONS: -Xms512m -Xmx512m -XX:SharedArchiveFile=" + archive);
            assertThat(firstStart).contains("HTTPS on 127.0.0.1:" + https, "agencies 1, providers 3",
                    "bus certificate CN=referral-bus,OU=bus,O=Ministry of Labour", "database " + database.url());

            Path loadedClasses = temp.resolve("classes-loaded.log");
            Map<String, String> logClassLoading = new HashMap<>(environment);
            logClassLoading.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + loadedClasses);
            String secondStart = stop(start(logClassLoading, temp.resolve("bus-2.log")), temp.resolve("bus-2.log"));
            assertThat(secondStart).contains("referral-bus ready");
            assertThat(Files.readString(loadedClasses)).as("start maps the archive")
                    .contains(ReferralBusApplication.class.getName() + " source: shared objects file (top)");

            Run verified = run(environment, "verify");
            assertThat(verified.exit()).as(verified.output()).isZero();
            assertThat(verified.output()).contains("intact").doesNotContain("empty");

            for (String secret : secrets()) {
                assertThat(firstStart + secondStart + verified.output() + setup.output()).doesNotContain(secret);
            }
        }
    }

    /** The script in docs/operators.md is the one this test runs, character for character. */
    @Test
    void theOperatorsDocumentQuotesTheTestedRecipe() throws IOException {
        String document = Files.readString(Path.of("docs/operators.md"));
        String recipe = Files.readString(RECIPE).stripTrailing();

        assertThat(document).contains("```bash\n" + recipe + "\n```");
    }

    private List<String> openedDeliveries() throws IOException {
        try (Stream<Path> files = Files.list(temp.resolve("inbox"))) {
            return files.filter(f -> f.toString().endsWith(".xml")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** The keystore passwords and the person-key secret the recipe generated. */
    private List<String> secrets() throws IOException {
        Stream<String> passwords = Files.readAllLines(temp.resolve("conf/secrets.env")).stream()
                .map(line -> line.replaceFirst("^[^=]*=", "")).filter(value -> value.length() >= 8);
        String personKey = Files.readString(temp.resolve("conf/keys/person-key.secret")).strip().replaceFirst("^base64:", "");
        return Stream.concat(passwords, Stream.of(personKey, personKey.substring(0, 12))).toList();
    }

    private record Run(int exit, String output) {
    }

    private Run run(Map<String, String> environment, String... arguments) throws Exception {
        Path log = Files.createTempFile(temp, "recipe", ".log");
        Process process = process(environment, log, arguments);
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return new Run(-1, "timed out: " + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    private Process start(Map<String, String> environment, Path log) throws Exception {
        Process bus = process(environment, log, "start");
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String output = Files.readString(log);
            assertThat(bus.isAlive()).as(output).isTrue();
            return output.contains("referral-bus ready");
        });
        return bus;
    }

    /** SIGTERM (the script execs java, so this is the bus), then the whole output of that start. */
    private static String stop(Process bus, Path log) throws Exception {
        bus.destroy();
        if (!bus.waitFor(90, TimeUnit.SECONDS)) {
            bus.destroyForcibly().waitFor();
        }
        return Files.readString(log);
    }

    private Process process(Map<String, String> environment, Path log, String... arguments) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of("bash", RECIPE.toString()), Stream.of(arguments)).toList())
                .directory(temp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }
}
