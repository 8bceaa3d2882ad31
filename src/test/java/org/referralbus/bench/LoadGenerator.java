package org.referralbus.bench;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;

/**
 * Submits a bounded number of sealed referrals to a running bus on this machine and prints throughput and
 * latency percentiles. Envelopes are sealed before the clock starts, so the figure is the bus's, not the client's.
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/classpath.txt) org.referralbus.bench.LoadGenerator \
 *      https://localhost:8443 400 4
 * </pre>
 * (arguments: base URL on loopback, number of referrals, client threads). docs/performance.md.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args.length > 0 ? args[0] : "https://localhost:8443";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        if (!baseUrl.startsWith("https://localhost") && !baseUrl.startsWith("https://127.0.0.1")) {
            throw new IllegalArgumentException("The load generator only targets a bus on this machine");
        }
        EnvelopeSealer agency = SampleKeys.agencySealer("border-service");
        String example = ReferralExamples.example("border-service-adult-woman-shelter-dushanbe");
        List<byte[]> envelopes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            envelopes.add(agency.seal(ReferralExamples.withFreshId(example).getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()));
        }
        MutualTlsClient client = MutualTlsClient.as(baseUrl, SampleKeys.certificate("agencies", "border-service"),
                SampleKeys.key("agencies", "border-service"));
        client.get("/actuator/health");
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long sent = System.nanoTime();
                    HttpResponse<byte[]> response = client.post("/api/v1/referrals", envelopes.get(i), "application/pkcs7-mime");
                    latencies[i] = System.nanoTime() - sent;
                    if (response.statusCode() == 202) {
                        accepted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(10, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        java.util.Arrays.sort(latencies);
        System.out.printf("%d referrals (%d accepted) in %.1f s with %d threads: %.1f referrals/s; latency p50 %.0f ms, p95 %.0f ms, p99 %.0f ms%n",
                count, accepted.get(), seconds, threads, count / seconds, latencies[count / 2] / 1e6,
                latencies[(int) (count * 0.95)] / 1e6, latencies[(int) (count * 0.99)] / 1e6);
    }
}
