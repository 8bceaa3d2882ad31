package org.referralbus.support;

import static org.referralbus.support.LocalMachine.freePort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.referralbus.participants.ParticipantRole;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for end-to-end tests: boots the real application (embedded Artemis, H2 under a fresh data directory,
 * Tomcat with mutual TLS on a random port). All subclasses share one data directory and broker port, so Spring
 * caches one context for all of them; tests use fresh referral ids to stay independent.
 *
 * <p>The context also has a CRL file ({@link #CRL_FILE}, re-read on every check so tests can revoke), a previous
 * bus key ({@link #PREVIOUS_BUS}, as during a key rotation) and a rate limit generous enough for functional
 * tests but small enough for a bounded flood test to hit it. Counted refusals ({@code RefusalTally}) are not flushed
 * on a schedule here (the window is an hour): a test that looks at them flushes them itself, and no aggregated row
 * lands in the middle of another test's "rows since the mark".
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RunningBus {

    public static final Path DATA_DIR = createDataDir();
    public static final int BROKER_PORT = freePort();
    public static final Path CRL_FILE = DATA_DIR.resolve("sample-ca.crl");
    /** A retiring bus key, issued by the sample CA: envelopes sealed for it must still open. */
    public static final TestPki.Identity PREVIOUS_BUS = TestPki.sample().identity("referral-bus", ParticipantRole.BUS,
            TestPki.KeyType.EC_P256);
    public static final int RATE_LIMIT_BURST = 40;
    public static final int RATE_LIMIT_PER_MINUTE = 600;

    static {
        TestPki.writePem(CRL_FILE, TestPki.sample().crl(List.of()));
        PREVIOUS_BUS.writePem(DATA_DIR, "previous-bus");
    }

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void busProperties(DynamicPropertyRegistry registry) {
        registry.add("referral-bus.data-dir", DATA_DIR::toString);
        registry.add("referral-bus.broker.port", () -> BROKER_PORT);
        registry.add("referral-bus.identity.crl-files", CRL_FILE::toString);
        registry.add("referral-bus.identity.crl-check-interval", () -> "0s");
        registry.add("referral-bus.identity.previous.certificate", () -> DATA_DIR.resolve("previous-bus.crt").toString());
        registry.add("referral-bus.identity.previous.private-key", () -> DATA_DIR.resolve("previous-bus.key").toString());
        registry.add("referral-bus.intake.rate-limit.burst", () -> RATE_LIMIT_BURST);
        registry.add("referral-bus.intake.rate-limit.per-minute", () -> RATE_LIMIT_PER_MINUTE);
        registry.add("referral-bus.audit.refusal-window", () -> "1h");
    }

    protected String baseUrl() {
        return "https://localhost:" + port;
    }

    protected MutualTlsClient agency(String id) {
        return MutualTlsClient.as(baseUrl(), SampleKeys.certificate("agencies", id), SampleKeys.key("agencies", id));
    }

    protected MutualTlsClient provider(String id) {
        return MutualTlsClient.as(baseUrl(), SampleKeys.certificate("providers", id), SampleKeys.key("providers", id));
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("referral-bus-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
