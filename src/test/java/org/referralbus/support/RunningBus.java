package org.referralbus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for end-to-end tests: boots the real application (embedded Artemis, H2 under a fresh data directory,
 * Tomcat with mutual TLS on a random port). All subclasses share one data directory and broker port, so Spring
 * caches one context for all of them; tests use fresh referral ids to stay independent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RunningBus {

    public static final Path DATA_DIR = createDataDir();
    public static final int BROKER_PORT = freePort();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void busProperties(DynamicPropertyRegistry registry) {
        registry.add("referral-bus.data-dir", DATA_DIR::toString);
        registry.add("referral-bus.broker.port", () -> BROKER_PORT);
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
