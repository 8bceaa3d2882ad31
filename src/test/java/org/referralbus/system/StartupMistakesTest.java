package org.referralbus.system;

import static org.referralbus.support.LocalMachine.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.referralbus.ReferralBusApplication;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.LocalMachine;
import org.referralbus.support.TestPki;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Each configuration mistake an operator made on a first production start (issue 12) stops the real application,
 * started as the jar would be (its main class in a child JVM), with one analysed message naming the property or file,
 * a non-zero exit code, no stack trace and no part of any secret or password.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupMistakesTest {

    private static final String KEYSTORE_PASSWORD = "Wr0ng-but-Secret-Keystore-Pass";
    private static final String SECRET_WITHOUT_PREFIX = "TGJRbkRmTzRzZWNyZXRzZWNyZXRzZWNyZXRzZWNyZXRzZWNyZXQ=";
    private static final String SECRET_BAD_BASE64 = "base64:TGJRbkRm-TzRzZWNyZXRz!ZWNyZXRzZWNyZXRzZWNyZXQ=";

    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws Exception {
        TestPki pki = TestPki.production("Ministry of Labour");
        BusKeyLoaderTest.pkcs12(pki.identity("referral-bus", ParticipantRole.BUS, TestPki.KeyType.EC_P256),
                dir.resolve("bus.p12"), "the-right-password");
        Files.writeString(dir.resolve("no-coordinator.yaml"), """
                providers:
                  - id: child-protection-national
                    services: [CHILD_PROTECTION]
                    regions: [NATIONAL]
                    certificate: %s
                """.formatted(Path.of("keys-sample/providers/child-protection-national.crt").toAbsolutePath()));
        TestPki.sample().server(List.of("localhost", "127.0.0.1"), Instant.now().minus(Duration.ofDays(400)),
                Instant.now().minus(Duration.ofDays(35))).writePem(dir, "expired-tls");
        TestPki.sample().issue("shelter-khorog", ParticipantRole.PROVIDER, TestPki.KeyType.EC_P256,
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365))).writePem(dir, "participant-tls");
        Files.writeString(dir.resolve("typo.yaml"), """
                referral-bus:
                  statistics:
                    kk: 20
                """);
    }

    static Stream<Arguments> mistakes() {
        String p12 = "--referral-bus.identity.keystore=" + dir.resolve("bus.p12");
        return Stream.of(
                Arguments.of("missing TLS file", List.of("--referral-bus.tls.certificate=nowhere/tls.crt"),
                        "nowhere/tls.crt"),
                Arguments.of("trust anchors missing", List.of("--referral-bus.identity.trust-anchors=nowhere/ca.crt"),
                        "nowhere/ca.crt"),
                Arguments.of("wrong keystore password", List.of(p12, "--referral-bus.identity.keystore-password=" + KEYSTORE_PASSWORD),
                        "Cannot read keystore"),
                Arguments.of("missing keystore password", List.of(p12), "needs its password"),
                Arguments.of("secret without base64:", List.of("--referral-bus.dedupe.person-key-secret=" + SECRET_WITHOUT_PREFIX),
                        "person-key-secret is neither base64"),
                Arguments.of("secret too short", List.of("--referral-bus.dedupe.person-key-secret=base64:c2hvcnQ="),
                        "at least 32 bytes"),
                Arguments.of("bad base64", List.of("--referral-bus.dedupe.person-key-secret=" + SECRET_BAD_BASE64),
                        "person-key-secret is not valid base64"),
                Arguments.of("database missing", List.of("--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/referral_bus_missing",
                        "--spring.datasource.username=postgres"), "Cannot open the database"),
                Arguments.of("no routes", List.of("--camel.main.routes-include-pattern=file:" + dir + "/*.camel.yaml"),
                        "the referral flow is not loaded"),
                Arguments.of("registry without coordinator", List.of("--referral-bus.registry.providers=" + dir.resolve("no-coordinator.yaml")),
                        "coordinator"),
                Arguments.of("sample person-key secret under prod", List.of("--spring.profiles.active=prod",
                        "--spring.datasource.url=jdbc:h2:mem:sample", p12, "--referral-bus.identity.keystore-password=the-right-password"),
                        "Refusing to start in the prod profile with sample keys"),
                Arguments.of("prod without a datasource", List.of("--spring.profiles.active=prod"), "needs an explicit database"),
                Arguments.of("TLS keystore with a wrong password", List.of("--referral-bus.tls.keystore=" + dir.resolve("bus.p12"),
                        "--referral-bus.tls.keystore-password=" + KEYSTORE_PASSWORD), "Cannot read the TLS keystore"),
                Arguments.of("TLS keystore without its password", List.of("--referral-bus.tls.keystore=" + dir.resolve("bus.p12")),
                        "REFERRAL_BUS_TLS_KEYSTORE_PASSWORD is not set"),
                Arguments.of("TLS keystore missing", List.of("--referral-bus.tls.keystore=" + dir.resolve("nowhere.p12"),
                        "--referral-bus.tls.keystore-password=the-right-password"), "TLS keystore not found: " + dir.resolve("nowhere.p12")),
                Arguments.of("expired HTTPS certificate", List.of("--referral-bus.tls.certificate=" + dir.resolve("expired-tls.crt"),
                        "--referral-bus.tls.private-key=" + dir.resolve("expired-tls.key")), "the HTTPS server certificate "
                        + dir.resolve("expired-tls.crt") + " (referral-bus.tls.certificate) expired on "),
                Arguments.of("a participant's certificate as the HTTPS server's", List.of("--referral-bus.tls.certificate="
                        + dir.resolve("participant-tls.crt"), "--referral-bus.tls.private-key=" + dir.resolve("participant-tls.key")),
                        "the HTTPS server certificate " + dir.resolve("participant-tls.crt") + " (referral-bus.tls.certificate)"
                        + " is not a TLS server certificate"),
                Arguments.of("Spring's own server bundle", List.of("--spring.ssl.bundle.pem.server.keystore.certificate=file:tls.crt"),
                        "spring.ssl.bundle.pem.server.keystore.certificate is not read"),
                Arguments.of("statistics k below 5", List.of("--referral-bus.statistics.k=4"), "referral-bus.statistics.k is 4, below 5"),
                Arguments.of("anonymous limit as large as the thread pool", List.of("--referral-bus.intake.anonymous-limit.max-concurrent=64"),
                        "referral-bus.intake.anonymous-limit.max-concurrent (64) is not below server.tomcat.threads.max (64)"),
                Arguments.of("a misspelt setting in the operator's file", List.of("--spring.config.additional-location=file:"
                        + dir.resolve("typo.yaml")), "referral-bus cannot start: referral-bus.statistics.kk (URL [file:"
                        + dir.resolve("typo.yaml") + "] - 3:9) is not a setting of the bus and would be ignored;"
                        + " did you mean referral-bus.statistics.k?"));
    }

    /** In this JVM (a start costs a minute on a loaded machine in a fresh one): the analysed message, no trace, no secret. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachConfigurationMistakeStopsTheBusWithOneMessageAndNoSecret(String mistake, List<String> arguments, String expected,
            CapturedOutput output) throws Exception {
        List<String> all = new ArrayList<>(base());
        all.addAll(arguments);
        int before = output.length();

        assertThatThrownBy(() -> new SpringApplicationBuilder(ReferralBusApplication.class).run(all.toArray(String[]::new)).close())
                .isNotNull();

        assertAnalysed(mistake, output.toString().substring(before), expected);
    }

    /** As the jar runs: a fresh JVM, the main class, and its exit code. */
    @ParameterizedTest(name = "{0}, in a fresh JVM")
    @MethodSource("mistakesInAFreshJvm")
    void theMainClassExitsWithCodeOneAndOneMessage(String mistake, List<String> arguments, String expected) throws Exception {
        Result result = start(arguments);

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertAnalysed(mistake, result.output(), expected);
    }

    static Stream<Arguments> mistakesInAFreshJvm() {
        return mistakes().filter(arguments -> List.of("secret without base64:", "prod without a datasource")
                .contains((String) arguments.get()[0]));
    }

    private static void assertAnalysed(String mistake, String output, String expected) {
        assertThat(output).as(mistake).contains("APPLICATION FAILED TO START").contains("referral-bus cannot start: ").contains(expected);
        assertThat(output.lines().filter(line -> line.startsWith("\tat ") || line.contains("Caused by:")))
                .as(output).isEmpty();
        for (String secret : List.of(KEYSTORE_PASSWORD, "the-right-password", "TGJRbkRm", "ZWNyZXRz", "c2hvcnQ")) {
            assertThat(output).as(mistake).doesNotContain(secret);
        }
    }

    private static List<String> base() throws IOException {
        return List.of("--referral-bus.data-dir=" + Files.createTempDirectory(dir, "data"), "--server.port=0",
                "--referral-bus.broker.port=" + freePort());
    }

    record Result(int exitCode, String output) {
    }

    private static Result start(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = LocalMachine.busJvm("384m", System.getProperty("java.class.path"));
        command.addAll(base());
        command.addAll(arguments);
        Path log = Files.createTempFile(dir, "start", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return new Result(-1, "still running after 240 s:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
