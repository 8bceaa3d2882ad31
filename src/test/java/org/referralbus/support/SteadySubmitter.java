package org.referralbus.support;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.referralbus.envelope.EnvelopeSealer;
import tools.jackson.databind.json.JsonMapper;

/**
 * An agency behind a load balancer: on a thread of its own it submits fresh referrals one after another at a steady
 * pace and retries each envelope, on the next node in turn, until it holds a 202 receipt (a refused connection, a
 * reset, a timeout, a 5xx or a 429 are retried; any other 4xx fails it). {@link #stop()} lets the referral in hand
 * reach its receipt first, so every envelope this client ever sent is receipted when it returns.
 */
public final class SteadySubmitter implements AutoCloseable {

    public static final String SENDER = "border-service";
    /** Its example's needs go to these three QUEUE providers (no psychosocial provider serves Dushanbe). */
    public static final List<String> PROVIDERS = List.of("coordinator", "medical-dushanbe", "shelter-dushanbe");
    private static final String EXAMPLE = "border-service-adult-woman-shelter-dushanbe";
    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);

    private final List<MutualTlsClient> nodes;
    private final Duration pace;
    private final EnvelopeSealer sealer = SampleKeys.agencySealer(SENDER);
    private final String example = ReferralExamples.example(EXAMPLE);
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, String> receipts = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Long> receiptedAt = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> answers = Collections.synchronizedMap(new TreeMap<>());
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private int next;

    private SteadySubmitter(List<String> baseUrls, Duration pace) {
        this.nodes = baseUrls.stream().map(url -> MutualTlsClient.as(url, SampleKeys.certificate("agencies", SENDER),
                SampleKeys.key("agencies", SENDER))).toList();
        this.pace = pace;
        this.thread = new Thread(this::submitSteadily, "steady-submitter");
    }

    /** Starts submitting, one referral every {@code pace} at most, to the nodes at these base URLs. */
    public static SteadySubmitter start(List<String> baseUrls, Duration pace) {
        SteadySubmitter submitter = new SteadySubmitter(baseUrls, pace);
        submitter.thread.start();
        return submitter;
    }

    public int receiptCount() {
        return receipts.size();
    }

    /** Referral id to the receipt body answered, in the order receipted. */
    public Map<String, String> receipts() {
        synchronized (receipts) {
            return new LinkedHashMap<>(receipts);
        }
    }

    /** Every answer seen, by status and problem code (or the exception for no answer), with how often. */
    public Map<String, Integer> answers() {
        synchronized (answers) {
            return new TreeMap<>(answers);
        }
    }

    /** When the first receipt at or after {@code nanoTime} was answered, or -1 if none was yet. */
    public long firstReceiptAfter(long nanoTime) {
        return receiptedAt.stream().filter(at -> at >= nanoTime).findFirst().orElse(-1L);
    }

    /** Waits until {@code count} more receipts than now are held; fails with the client's own failure if it stopped. */
    public void awaitMoreReceipts(int count, Duration atMost) {
        int target = receiptCount() + count;
        long deadline = System.nanoTime() + atMost.toNanos();
        while (receiptCount() < target) {
            if (failure != null || !thread.isAlive()) {
                throw new IllegalStateException("the client stopped: " + failure, failure);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + count + " more receipts within " + atMost + "; answers " + answers());
            }
            pause(50);
        }
    }

    /** Lets the referral in hand reach its receipt, then stops; rethrows what made the client fail. */
    public void stop() throws InterruptedException {
        stopping = true;
        thread.join(GIVE_UP_AFTER.toMillis() + 30_000);
        if (failure != null) {
            throw new AssertionError("the client failed after " + receiptCount() + " receipts; answers " + answers(), failure);
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
    }

    private void submitSteadily() {
        try {
            while (!stopping) {
                long started = System.nanoTime();
                String xml = ReferralExamples.withFreshId(example);
                submitUntilReceipted(ReferralExamples.referralId(xml),
                        sealer.seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()));
                pause(pace.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    private void submitUntilReceipted(String referralId, byte[] envelope) throws Exception {
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            MutualTlsClient node = nodes.get(next++ % nodes.size());
            try {
                HttpResponse<byte[]> answer = node.post("/api/v1/referrals", envelope, "application/pkcs7-mime");
                int status = answer.statusCode();
                answers.merge(status == 202 ? "202" : status + " " + problemCode(answer), 1, Integer::sum);
                if (status == 202) {
                    receipts.put(referralId, new String(answer.body(), StandardCharsets.UTF_8));
                    receiptedAt.add(System.nanoTime());
                    return;
                }
                if (status >= 400 && status < 500 && status != 429) {
                    throw new AssertionError("refused " + referralId + ": " + status + " " + new String(answer.body(), StandardCharsets.UTF_8));
                }
                seen.add(Integer.toString(status));
            } catch (IOException e) {
                answers.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                seen.add(e.getClass().getSimpleName());
            }
            pause(100);
        }
        throw new AssertionError("no receipt for " + referralId + " within " + GIVE_UP_AFTER + " (answers " + seen + ")");
    }

    private String problemCode(HttpResponse<byte[]> answer) {
        try {
            return json.readTree(answer.body()).path("code").asString();
        } catch (RuntimeException e) {
            return "(no problem details)";
        }
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
