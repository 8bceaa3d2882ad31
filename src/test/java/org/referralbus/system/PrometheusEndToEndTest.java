package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;

/** The Prometheus endpoint over real mutual TLS: admins read the bus's own meters, nobody else reads anything. */
class PrometheusEndToEndTest extends RunningBus {

    private static final String CMS = "application/pkcs7-mime";

    @Test
    void adminReadsFlowCountersStepLatenciesQueueDepthsAndAuditLag() throws Exception {
        MutualTlsClient admin = MutualTlsClient.as(baseUrl(), SampleKeys.certificate("admins", "bus-admin"),
                SampleKeys.key("admins", "bus-admin"));
        double receivedBefore = value(scrape(admin), "referralbus_referrals_received_total");
        double routedBefore = value(scrape(admin), "referralbus_referrals_routed_total");
        double rejectedBefore = value(scrape(admin), "referralbus_referrals_rejected_total{code=\"envelope_malformed\"}");

        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        assertThat(agency("border-service").post("/api/v1/referrals", envelope, CMS).statusCode()).isEqualTo(202);
        assertThat(agency("border-service").post("/api/v1/referrals", "not cms".getBytes(StandardCharsets.UTF_8), CMS).statusCode())
                .isEqualTo(400);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String metrics = scrape(admin);
            assertThat(value(metrics, "referralbus_referrals_received_total")).isGreaterThanOrEqualTo(receivedBefore + 2);
            assertThat(value(metrics, "referralbus_referrals_routed_total")).isGreaterThanOrEqualTo(routedBefore + 1);
            assertThat(value(metrics, "referralbus_referrals_rejected_total{code=\"envelope_malformed\"}"))
                    .isGreaterThanOrEqualTo(rejectedBefore + 1);
            assertThat(metrics).contains("referralbus_referrals_delivered_total", "referralbus_referrals_dead_lettered_total");
            assertThat(metrics).containsPattern("referralbus_step_duration_seconds_bucket\\{[^}]*step=\"open-envelope\"");
            assertThat(metrics).containsPattern("referralbus_step_duration_seconds_count\\{[^}]*step=\"route-referral\"");
            for (String queue : org.referralbus.broker.BrokerLayout.FIXED_QUEUES) { // callbacks.dead was missing once
                assertThat(metrics).containsPattern("referralbus_queue_depth\\{queue=\"" + java.util.regex.Pattern.quote(queue) + "\"\\} [0-9]");
            }
            assertThat(metrics).containsPattern("referralbus_queue_depth\\{queue=\"deliveries.shelter-dushanbe\"\\} [0-9]");
            assertThat(value(metrics, "referralbus_audit_lag_events")).isPositive();
            assertThat(metrics).contains("referralbus_audit_lag_seconds");
            assertThat(value(metrics, "referralbus_reroutes_due")).as("nothing declined here").isZero();
            assertThat(metrics).contains("referralbus_reroutes_due_oldest_seconds");
            assertThat(value(metrics, "referralbus_bus_certificate_expiry_seconds")).as("the sample bus certificate, from now")
                    .isCloseTo(java.time.Duration.between(java.time.Instant.now(),
                            SampleKeys.busCertificate().getNotAfter().toInstant()).toSeconds(), org.assertj.core.data.Offset.offset(120.0));
            assertThat(value(metrics, "referralbus_crl_next_update_seconds")).as("the test CRL is valid ahead").isPositive();
        });
    }

    @Test
    void theMetricsHoldNoReferralContentOrIds() throws Exception {
        MutualTlsClient admin = MutualTlsClient.as(baseUrl(), SampleKeys.certificate("admins", "bus-admin"),
                SampleKeys.key("admins", "bus-admin"));
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        assertThat(agency("border-service").post("/api/v1/referrals", envelope, CMS).statusCode()).isEqualTo(202);

        assertThat(scrape(admin)).doesNotContain(ReferralExamples.referralId(xml));
    }

    /**
     * Spring Security's observations wrapped every filter of every request in a timer of its own (about 1 % of a
     * busy bus's CPU); the requests' own meter stays.
     */
    @Test
    void requestsAreTimedOnceNotOncePerSecurityFilter() throws Exception {
        MutualTlsClient admin = MutualTlsClient.as(baseUrl(), SampleKeys.certificate("admins", "bus-admin"),
                SampleKeys.key("admins", "bus-admin"));
        scrape(admin);
        String metrics = scrape(admin);
        assertThat(metrics).contains("http_server_requests_seconds_count");
        assertThat(metrics).doesNotContain("spring_security_");
    }

    @Test
    void participantsOtherThanAdminsAreRefused() throws Exception {
        assertThat(agency("border-service").get("/actuator/prometheus").statusCode()).isEqualTo(403);
        assertThat(provider("shelter-dushanbe").get("/actuator/prometheus").statusCode()).isEqualTo(403);
        assertThat(MutualTlsClient.as(baseUrl(), SampleKeys.certificate("auditors", "oversight-board"),
                SampleKeys.key("auditors", "oversight-board")).get("/actuator/prometheus").statusCode()).isEqualTo(403);
        assertThat(MutualTlsClient.anonymous(baseUrl()).get("/actuator/prometheus").statusCode()).isEqualTo(401);
    }

    private static String scrape(MutualTlsClient admin) throws Exception {
        HttpResponse<byte[]> response = admin.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** The sample's value, 0 if the meter has no sample yet. */
    private static double value(String metrics, String sample) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
