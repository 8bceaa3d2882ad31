package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.BrokerClients;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A retry of a referral whose processing lease another attempt holds (another node, another thread) is told to come
 * back: over HTTPS {@code 503 referral_in_progress} with {@code Retry-After} from the lease's remaining time; on the
 * intake queue the message rolls back and is redelivered, not parked as rejected. The other attempt is played by
 * the test: it sets the referral back to RECEIVED under a lease that runs for an hour. The processing lease is 1 s, so
 * a retry waits 2 s before it gives up.
 */
class ReferralInProgressEndToEndTest {

    private static final String CMS = "application/pkcs7-mime";

    @TempDir
    static Path dir;

    private static StandaloneBus bus;

    @BeforeAll
    static void start() {
        bus = StandaloneBus.start(dir.resolve("data"), "--referral-bus.dedupe.processing-lease=1s",
                "--referral-bus.intake.rate-limit.enabled=false");
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void retryOverHttpsWhileAnotherAttemptHoldsTheLeaseIsAnswered503WithRetryAfter() throws Exception {
        String xml = freshReferral();
        String referralId = ReferralExamples.referralId(xml);
        assertThat(agency().post("/api/v1/referrals", seal(xml), CMS).statusCode()).isEqualTo(202);
        holdLeaseElsewhere(referralId, Duration.ofHours(1));

        HttpResponse<byte[]> retry = agency().post("/api/v1/referrals", seal(xml), CMS); // sealed anew: another envelope

        assertThat(retry.statusCode()).isEqualTo(503);
        assertThat(retry.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = JsonMapper.builder().build().readTree(retry.body());
        assertThat(problem.get("code").asString()).isEqualTo("referral_in_progress");
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        long retryAfter = Long.parseLong(retry.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).as("seconds left on the other attempt's lease").isBetween(3500L, 3600L);
    }

    @Test
    void retryOnTheIntakeQueueWhileAnotherAttemptHoldsTheLeaseRollsBackAndIsProcessedWhenTheLeaseEnds() throws Exception {
        String xml = freshReferral();
        String referralId = ReferralExamples.referralId(xml);
        assertThat(agency().post("/api/v1/referrals", seal(xml), CMS).statusCode()).isEqualTo(202);
        holdLeaseElsewhere(referralId, Duration.ofHours(1));

        byte[] retry = seal(xml);
        new JmsTemplate(BrokerClients.as(bus.brokerPort(), "agencies", "border-service")).send("referrals.intake", session -> {
            var message = session.createBytesMessage();
            message.writeBytes(retry);
            return message;
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc().queryForObject("SELECT COUNT(*) FROM audit_event "
                + "WHERE event_type = 'REJECTED' AND referral_id = ? AND detail = 'referral_in_progress'", Integer.class, referralId) >= 1);
        holdLeaseElsewhere(referralId, Duration.ofSeconds(-10)); // the other attempt died: its lease has run out

        await().atMost(Duration.ofSeconds(30)).until(() -> "ROUTED".equals(jdbc().queryForObject(
                "SELECT state FROM referral WHERE referral_id = ?", String.class, referralId)));
        JmsTemplate operator = bus.bean(JmsTemplate.class);
        operator.setReceiveTimeout(500);
        jakarta.jms.Message parked;
        while ((parked = operator.receive("referrals.intake.rejected")) != null) {
            assertThat(parked.getBody(byte[].class)).as("the redelivered envelope was not parked").isNotEqualTo(retry);
        }
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ?", Integer.class, referralId))
                .as("completed without a second copy").isEqualTo(3);
    }

    /** Plays the other attempt: the referral is RECEIVED again, under a lease that ends {@code left} from now. */
    private static void holdLeaseElsewhere(String referralId, Duration left) {
        jdbc().update("UPDATE referral SET state = 'RECEIVED', lease_until = ? WHERE referral_id = ?",
                OffsetDateTime.now().plus(left), referralId);
    }

    private static String freshReferral() {
        return ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
    }

    private static byte[] seal(String xml) {
        return SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
    }

    private static MutualTlsClient agency() {
        return MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "border-service"),
                SampleKeys.key("agencies", "border-service"));
    }

    private static JdbcTemplate jdbc() {
        return bus.bean(JdbcTemplate.class);
    }
}
