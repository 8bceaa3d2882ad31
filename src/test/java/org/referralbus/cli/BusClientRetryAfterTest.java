package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.referralbus.support.ProviderWebhookServer;

/**
 * A bus that says "come back in a second" (503 with {@code Retry-After}: starting, or the same referral in
 * progress) is asked again by the clerk's tools, up to {@link BusClient#ATTEMPTS} times, instead of failing the
 * command; a 503 without the header, or with a wait too long to sit through, is reported as it is. The bus here is
 * a JDK HTTPS server with the sample TLS certificate that answers a scripted sequence of statuses.
 */
class BusClientRetryAfterTest {

    private static final String ID = "00000000-0000-0000-0000-000000000042";
    private static final String STATUS = "{\"referralId\":\"" + ID + "\",\"state\":\"ROUTED\",\"receivedAt\":\"2026-12-04T12:00:00Z\",\"needs\":[]}";
    private static final String NOT_READY = "{\"code\":\"bus_not_ready\",\"status\":503,\"detail\":\"The referral flow is not running\"}";

    private HttpsServer server;
    private final List<Long> requestTimes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void notReadyTwiceThenTheAnswerIsTheAnswerAfterTheWaitsItAskedFor() throws Exception {
        String bus = busAnswering(List.of(503, 503, 200), "1");

        CommandRun status = CommandRun.at(bus, "status", ID, "--as", "border-service");

        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("referral " + ID + ": ROUTED");
        assertThat(requestTimes).hasSize(3);
        assertThat(requestTimes.get(2) - requestTimes.get(0)).as("two waits of Retry-After: 1").isGreaterThanOrEqualTo(1_900);
    }

    @Test
    void stillNotReadyAfterEveryAttemptIsOneSentenceThatSaysToComeBack() throws Exception {
        String bus = busAnswering(List.of(503, 503, 503, 503, 503), "1");

        CommandRun status = CommandRun.at(bus, "status", ID, "--as", "border-service");

        assertThat(status.exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(requestTimes).hasSize(BusClient.ATTEMPTS);
        assertThat(status.output()).contains("(bus_not_ready)").contains("run the command again in a minute").doesNotContain("Exception");
    }

    @Test
    void aWaitLongerThanAClerkSitsThroughIsReportedAtOnce() throws Exception {
        String bus = busAnswering(List.of(503, 200), "600");

        CommandRun status = CommandRun.at(bus, "status", ID, "--as", "border-service");

        assertThat(status.exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(requestTimes).hasSize(1);
    }

    @Test
    void aServerErrorWithoutRetryAfterIsNotAskedAgain() throws Exception {
        String bus = busAnswering(List.of(503, 200), null);

        assertThat(CommandRun.at(bus, "status", ID, "--as", "border-service").exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(requestTimes).hasSize(1);
    }

    private String busAnswering(List<Integer> statuses, String retryAfter) throws Exception {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ProviderWebhookServer.sslContext()));
        AtomicInteger next = new AtomicInteger();
        server.createContext("/api/v1/referrals/", exchange -> {
            requestTimes.add(System.currentTimeMillis());
            int status = statuses.get(Math.min(next.getAndIncrement(), statuses.size() - 1));
            byte[] body = (status == 200 ? STATUS : NOT_READY).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            if (status == 503 && retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "https://localhost:" + server.getAddress().getPort();
    }
}
