package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.envelope.DetachedSignature;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ProviderWebhookServer;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Status callbacks: an agency with a {@code callback} in its registry entry receives, over HTTPS, a JSON event for
 * each need's change of state, signed by the bus (detached CMS, checked here as an agency would); a callback that
 * keeps failing is retried, then parked and audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusCallbacksEndToEndTest {

    private static final Path KEYS = SampleKeys.ROOT.toAbsolutePath();

    @TempDir
    static Path dir;

    private ProviderWebhookServer receiver;
    private StandaloneBus bus;
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    void start() throws Exception {
        receiver = new ProviderWebhookServer(0);
        Path agencies = dir.resolve("agencies.yaml");
        Files.writeString(agencies, """
                agencies:
                  - {id: border-service, name: Border service, certificate: %1$s/agencies/border-service.crt, callback: "%2$s"}
                  - {id: iom-mission, name: IOM mission, certificate: %1$s/agencies/iom-mission.crt, callback: "%3$s"}
                  - {id: ngo-hotline, name: NGO hotline, certificate: %1$s/agencies/ngo-hotline.crt}
                """.formatted(KEYS, receiver.url("/border"), receiver.url("/down")));
        bus = StandaloneBus.start(dir.resolve("data"),
                "--referral-bus.participants.agencies=" + agencies,
                "--referral-bus.delivery.webhook.max-attempts=3",
                "--referral-bus.delivery.webhook.initial-delay=200ms",
                "--referral-bus.delivery.webhook.max-delay=1s");
    }

    @AfterAll
    void stop() {
        if (bus != null) {
            bus.close();
        }
        receiver.close();
    }

    @Test
    void theSenderGetsASignedEventForEachChangeOfItsNeedsWithIdsOnly() throws Exception {
        String referralId = submit("border-service", ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        await().atMost(Duration.ofSeconds(30)).until(() -> states(referralId, "SHELTER").containsAll(Set.of("ROUTED", "DELIVERED")));

        String deliveryId = inboxDelivery("shelter-dushanbe", referralId);
        assertThat(provider("shelter-dushanbe").post("/api/v1/inbox/" + deliveryId + "/ack",
                "{\"decision\":\"DECLINED\",\"reason\":\"NO_CAPACITY\"}".getBytes(StandardCharsets.UTF_8), "application/json").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> states(referralId, "SHELTER").contains("DECLINED"));

        CertificateTrust agencyTrust = new CertificateTrust(List.of(SampleKeys.ca()), Clock.systemUTC());
        List<ProviderWebhookServer.Push> events = events(referralId);
        assertThat(events).isNotEmpty().allSatisfy(push -> {
            assertThat(push.clientSubject()).contains("CN=referral-bus");
            assertThat(push.eventSignature()).as("every event is signed").isNotBlank();
            DetachedSignature.verifyByBus(push.body(), Base64.getDecoder().decode(push.eventSignature()), agencyTrust);
            JsonNode event = json.readTree(push.body());
            assertThat(new TreeSet<>(event.propertyNames()))
                    .containsExactly("at", "eventId", "provider", "referralId", "sender", "service", "state");
        });
        assertThat(new String(events.get(0).body(), StandardCharsets.UTF_8)).doesNotContain("familyName", "givenName", "birth");

        byte[] forged = new String(events.get(0).body(), StandardCharsets.UTF_8).replace("ROUTED", "ACCEPTED")
                .getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DetachedSignature.verifyByBus(forged,
                Base64.getDecoder().decode(events.get(0).eventSignature()), agencyTrust)).as("the signature covers the exact bytes");
        assertThat(receiver.pushes("/down")).as("no other agency's events reach this callback")
                .noneMatch(p -> new String(p.body(), StandardCharsets.UTF_8).contains(referralId));
    }

    @Test
    void aCallbackThatKeepsFailingIsRetriedThenParkedAndAudited() throws Exception {
        String referralId = submit("iom-mission", ReferralExamples.example("iom-mission-return-reintegration-gbao"));

        await().atMost(Duration.ofSeconds(60)).until(() -> bus.bean(JdbcTemplate.class).queryForObject(
                "SELECT COUNT(*) FROM audit_event WHERE referral_id = ? AND event_type = 'DEAD_LETTERED' AND detail LIKE 'callback:%'",
                Integer.class, referralId) > 0);
        long attemptsForOneEvent = receiver.pushes("/down").stream()
                .filter(p -> new String(p.body(), StandardCharsets.UTF_8).contains(referralId))
                .map(p -> json.readTree(p.body()).path("eventId").asString())
                .collect(java.util.stream.Collectors.groupingBy(id -> id, java.util.stream.Collectors.counting()))
                .values().stream().mapToLong(Long::longValue).max().orElse(0);
        assertThat(attemptsForOneEvent).as("max-attempts=3").isEqualTo(3);
    }

    private List<ProviderWebhookServer.Push> events(String referralId) {
        return receiver.pushes("/border").stream()
                .filter(p -> new String(p.body(), StandardCharsets.UTF_8).contains("\"referralId\":\"" + referralId + "\""))
                .toList();
    }

    private Set<String> states(String referralId, String service) {
        Set<String> states = new TreeSet<>();
        for (ProviderWebhookServer.Push push : events(referralId)) {
            JsonNode event = json.readTree(push.body());
            if (event.path("service").asString().equals(service)) {
                states.add(event.path("state").asString());
            }
        }
        return states;
    }

    private String inboxDelivery(String providerId, String referralId) throws Exception {
        JsonNode inbox = json.readTree(provider(providerId).get("/api/v1/inbox").body());
        for (JsonNode delivery : inbox.path("deliveries")) {
            if (delivery.path("referralId").asString().equals(referralId)) {
                return delivery.path("deliveryId").asString();
            }
        }
        throw new AssertionError("No delivery of " + referralId + " in the inbox of " + providerId);
    }

    private String submit(String agencyId, String xml) throws Exception {
        String fresh = ReferralExamples.withFreshId(xml);
        byte[] envelope = SampleKeys.agencySealer(agencyId).seal(fresh.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        assertThat(MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", agencyId), SampleKeys.key("agencies", agencyId))
                .post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode()).isEqualTo(202);
        return ReferralExamples.referralId(fresh);
    }

    private MutualTlsClient provider(String id) {
        return MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("providers", id), SampleKeys.key("providers", id));
    }
}
