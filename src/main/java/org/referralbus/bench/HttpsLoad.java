package org.referralbus.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import javax.net.ssl.SSLContext;

/**
 * Agencies submitting over mutual TLS: one HTTP client per agency, whose connections stay open between requests
 * (keep-alive), shared by that agency's sending threads. {@link #saturate} sends as fast as the bus answers from a
 * fixed number of clients (a closed loop); {@link #atRateAfter} sends on a fixed schedule whatever the answers (an open
 * loop) and times each request from the moment it was due, so a slow answer is not hidden by sending later.
 */
final class HttpsLoad {

    /**
     * What one run did: referrals accepted (202), wall time, the latency of every request in nanoseconds, and when
     * each was due (sent, in a closed loop), to find it in a flight recording.
     */
    record Result(int sent, int accepted, double seconds, long[] latencies, Instant[] dues,
                  Map<Integer, Integer> statuses) {

        double perSecond() {
            return accepted / seconds;
        }

        double percentileMillis(double p) {
            long[] sorted = latencies.clone();
            java.util.Arrays.sort(sorted);
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
        }
    }

    private final String baseUrl;
    private final Map<String, HttpClient> clients = new HashMap<>();

    HttpsLoad(String baseUrl, Map<String, SSLContext> agencyTls) {
        this.baseUrl = baseUrl;
        agencyTls.forEach((agency, tls) -> clients.put(agency, HttpClient.newBuilder().sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build()));
    }

    Result saturate(List<BenchReferrals.Sealed> referrals, int threads, IntConsumer progress) throws Exception {
        return run(referrals, threads, 0, Long.MAX_VALUE, progress);
    }

    /**
     * As {@link #saturate}, but no referral is taken after {@code limit}: those sent are the list's first
     * {@link Result#sent()}, so that the caller knows which the bus has.
     */
    Result saturateFor(List<BenchReferrals.Sealed> referrals, int threads, Duration limit, IntConsumer progress) throws Exception {
        return run(referrals, threads, 0, limit.toNanos(), progress);
    }

    /**
     * Sends {@code perSecond} referrals a second from enough threads that none waits for an answer to send:
     * {@code settling} and then {@code timed}, on one schedule with no pause between them. The result is the timed
     * referrals' alone (all of both are sent).
     */
    Result atRateAfter(List<BenchReferrals.Sealed> settling, List<BenchReferrals.Sealed> timed, double perSecond,
                       IntConsumer progress) throws Exception {
        List<BenchReferrals.Sealed> both = new ArrayList<>(settling);
        both.addAll(timed);
        return run(both, 64, perSecond, Long.MAX_VALUE, progress, settling.size());
    }

    /** A status request as the referral's agency; the answer's body, or null if it is not 200. */
    String status(BenchReferrals.Sealed referral) throws IOException, InterruptedException {
        HttpResponse<String> response = clients.get(referral.agency()).send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/api/v1/referrals/" + referral.referralId() + "/status"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : null;
    }

    private Result run(List<BenchReferrals.Sealed> referrals, int threads, double perSecond, long takeForNanos,
                       IntConsumer progress) throws Exception {
        return run(referrals, threads, perSecond, takeForNanos, progress, 0);
    }

    /** The result covers the referrals from {@code counted} on; those before it are sent but not counted. */
    private Result run(List<BenchReferrals.Sealed> referrals, int threads, double perSecond, long takeForNanos,
                       IntConsumer progress, int counted) throws Exception {
        int count = referrals.size();
        long[] latencies = new long[count];
        Instant[] dues = new Instant[count];
        int[] status = new int[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        Instant wallStart = Instant.now();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    // The clock is read before an index is taken, and every index taken is sent: those sent are a prefix.
                    while (System.nanoTime() - start < takeForNanos) {
                        int i = next.getAndIncrement();
                        if (i >= count) {
                            break;
                        }
                        long due = perSecond > 0 ? start + (long) (i * 1e9 / perSecond) : System.nanoTime();
                        sleepUntil(due);
                        status[i] = send(referrals.get(i));
                        latencies[i] = System.nanoTime() - due;
                        dues[i] = wallStart.plusNanos(due - start);
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                while (!worker.isDone()) {
                    progress.accept(done.get());
                    try {
                        worker.get(250, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        // still sending: show progress again
                    }
                }
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9 - (perSecond > 0 ? counted / perSecond : 0);
        progress.accept(done.get());
        int sent = Math.min(next.get(), count);
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        int accepted = 0;
        for (int i = counted; i < sent; i++) {
            statuses.merge(status[i], 1, Integer::sum);
            accepted += status[i] == 202 ? 1 : 0;
        }
        return new Result(Math.max(0, sent - counted), accepted, seconds,
                java.util.Arrays.copyOfRange(latencies, Math.min(counted, sent), sent),
                java.util.Arrays.copyOfRange(dues, Math.min(counted, sent), sent), statuses);
    }

    private int send(BenchReferrals.Sealed referral) {
        try {
            return clients.get(referral.agency()).send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/referrals"))
                            .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/pkcs7-mime")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(referral.envelope())).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void sleepUntil(long due) throws InterruptedException {
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
