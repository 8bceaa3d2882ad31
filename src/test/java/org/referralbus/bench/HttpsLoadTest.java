package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bench's time-bounded warm-up: it stops taking referrals at its limit, and those it sent are the list's first;
 * the open loop's schedule.
 */
class HttpsLoadTest {

    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private HttpServer server;

    @BeforeEach
    void slowBus() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/referrals", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aLimitedWarmUpStopsTakingAtItsLimitAndSentTheFirstOfItsList() throws Exception {
        HttpsLoad.Result result = load().saturateFor(referrals(500), 2, Duration.ofMillis(300), n -> { });

        assertThat(result.sent()).as("20 ms a referral on 2 threads: about 30 in 300 ms, far fewer than 500").isBetween(1, 200);
        assertThat(result.accepted()).isEqualTo(result.sent());
        assertThat(result.latencies()).hasSize(result.sent());
        assertThat(received).as("exactly the first " + result.sent() + " of the list went")
                .isEqualTo(IntStream.range(0, result.sent()).mapToObj(i -> "r" + i).collect(Collectors.toSet()));
    }

    @Test
    void anUnlimitedRunSendsThemAll() throws Exception {
        HttpsLoad.Result result = load().saturate(referrals(12), 3, n -> { });

        assertThat(result.sent()).isEqualTo(12);
        assertThat(result.accepted()).isEqualTo(12);
        assertThat(received).hasSize(12);
    }

    @Test
    void anOpenLoopRunSaysWhenEachTimedReferralWasDueOnItsSchedule() throws Exception {
        Instant before = Instant.now();
        HttpsLoad.Result result = load().atRateAfter(referrals(2), referrals(6).subList(2, 6), 50, n -> { });

        assertThat(result.dues()).as("the timed ones only, not the settling two").hasSize(4);
        assertThat(Duration.between(before, result.dues()[0]).toNanos()).as("the third on a 50/s schedule: 40 ms after the start")
                .isBetween(40_000_000L, 40_000_000L + 2_000_000_000L);
        for (int i = 1; i < 4; i++) {
            assertThat(Duration.between(result.dues()[i - 1], result.dues()[i]).toNanos()).isBetween(19_999_000L, 20_001_000L);
        }
    }

    private HttpsLoad load() throws Exception {
        return new HttpsLoad("http://127.0.0.1:" + server.getAddress().getPort(), Map.of("border-service", SSLContext.getDefault()));
    }

    /** Referrals r0, r1, … whose body is their id, so that the stand-in bus can tell which went. */
    private static List<BenchReferrals.Sealed> referrals(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new BenchReferrals.Sealed("border-service", "r" + i, ("r" + i).getBytes(StandardCharsets.UTF_8)))
                .toList();
    }
}
