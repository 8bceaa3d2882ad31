package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.referralbus.audit.RefusalTally;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * One agency floods the bus (bounded: a few hundred requests to 127.0.0.1) while another keeps submitting real
 * referrals: the flooder is cut off with 429, the other agency is served as usual.
 */
class FloodEndToEndTest extends RunningBus {

    private static final String CMS = "application/pkcs7-mime";
    private static final String FLOODER = "interior-ministry";
    private static final String VICTIM = "iom-mission";
    /** What "served as usual" means on a 2-core build machine: every referral accepted within this. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    RefusalTally refusals;

    @AfterEach
    void letTheFloodersBucketRefill() {
        MutualTlsClient flooder = agency(FLOODER);
        await().atMost(Duration.ofSeconds(10)).until(() -> flooder.get("/api/v1/bus/certificate").statusCode() == 200);
    }

    @Test
    void aParticipantOverItsBudgetGets429WithRetryAfterAndOthersAreUnaffected() throws Exception {
        MutualTlsClient flooder = agency(FLOODER);
        long auditMark = jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);

        HttpResponse<byte[]> limited = null;
        for (int i = 0; i < RATE_LIMIT_BURST * 3 && limited == null; i++) {
            HttpResponse<byte[]> response = flooder.get("/api/v1/bus/certificate");
            if (response.statusCode() == 429) {
                limited = response;
            }
        }

        assertThat(limited).as("the flooder hits its limit").isNotNull();
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s)).isPositive());
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(json.readTree(limited.body()).get("code").asString()).isEqualTo("rate_limited");
        assertThat(agency(VICTIM).get("/api/v1/bus/certificate").statusCode()).isEqualTo(200);
        refusals.flush();
        assertThat(jdbc.queryForList("SELECT actor FROM audit_event WHERE seq > ? AND event_type = 'REJECTED' AND detail LIKE 'rate_limited;%'",
                String.class, auditMark)).isNotEmpty().containsOnly(FLOODER);
    }

    @Test
    void refusalsOfAFloodAreAuditedAsOneRowWithTheirCountNotOneRowEach() throws Exception {
        MutualTlsClient flooder = agency(FLOODER);
        refusals.flush();
        long auditMark = jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);

        int refused = 0;
        for (int i = 0; i < 300; i++) {
            if (flooder.get("/api/v1/bus/certificate").statusCode() == 429) {
                refused++;
            }
        }
        long rowsBeforeFlush = jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE seq > ? AND event_type = 'REJECTED'",
                Long.class, auditMark);
        refusals.flush();

        assertThat(refused).as("the flood was refused").isGreaterThan(100);
        assertThat(rowsBeforeFlush).as("no row per refused request").isZero();
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE seq > ? AND event_type = 'REJECTED'",
                String.class, auditMark)).containsExactly("rate_limited;count=" + refused);
    }

    @Test
    void hostileFloodFromOneAgencyDoesNotSlowDownAnother() throws Exception {
        List<Long> quietMillis = victimSubmits(3);
        ExecutorService pool = Executors.newFixedThreadPool(9);
        ConcurrentMap<Integer, AtomicInteger> floodStatuses = new ConcurrentHashMap<>();
        try {
            List<Future<?>> flood = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int seed = thread;
                flood.add(pool.submit(() -> {
                    MutualTlsClient flooder = agency(FLOODER);
                    Random random = new Random(seed);
                    for (int i = 0; i < 40; i++) {
                        byte[] garbage = new byte[2048 + random.nextInt(4096)];
                        random.nextBytes(garbage);
                        garbage[0] = 0x30;
                        int status = flooder.post("/api/v1/referrals", garbage, CMS).statusCode();
                        floodStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            List<Long> victimMillis = victimSubmits(5);
            for (Future<?> f : flood) {
                f.get(60, TimeUnit.SECONDS);
            }

            System.out.println("flood statuses " + floodStatuses + ", victim referral latencies ms: quiet " + quietMillis
                    + ", under flood " + victimMillis);
            assertThat(victimMillis).allSatisfy(ms -> assertThat(ms).isLessThan(BOUND.toMillis()));
            assertThat(floodStatuses.keySet()).as("the flooder gets only refusals").isSubsetOf(400, 429);
            assertThat(floodStatuses.get(429)).as("and is cut off").isNotNull();
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Long> victimSubmits(int count) throws Exception {
        List<Long> millis = new ArrayList<>();
        MutualTlsClient victim = agency(VICTIM);
        for (int i = 0; i < count; i++) {
            byte[] envelope = SampleKeys.agencySealer(VICTIM).seal(ReferralExamples.withFreshId(
                    ReferralExamples.example("iom-mission-return-reintegration-gbao")).getBytes(StandardCharsets.UTF_8),
                    SampleKeys.busCertificate());
            long started = System.nanoTime();
            HttpResponse<byte[]> response = victim.post("/api/v1/referrals", envelope, CMS);
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        }
        return millis;
    }
}
