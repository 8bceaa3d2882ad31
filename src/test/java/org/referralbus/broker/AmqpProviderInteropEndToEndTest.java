package org.referralbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.referralbus.support.AmqpProbe;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The broker's acceptor with a stock, non-Java AMQP 1.0 client: rhea on Node.js (installed with npm into
 * {@code target/amqp-client}; {@code .ci/run} installs Node.js where missing), driven by
 * {@code src/test/resources/amqp-client/amqp-probe.js}, exactly as the README shows a provider using it: receiving
 * its copies, and sending its acknowledgements to its own queue.
 */
class AmqpProviderInteropEndToEndTest extends RunningBus {

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void installRhea() throws Exception {
        AmqpProbe.install();
    }

    @Test
    void providerReceivesItsSealedCopyWithAStockAmqpClient() throws Exception {
        String referralId = submit("border-service", "border-service-adult-woman-shelter-dushanbe");

        JsonNode outcome = probe("receive", String.valueOf(BROKER_PORT), "providers", "shelter-dushanbe", "deliveries.shelter-dushanbe",
                "referralBusReferralId = '" + referralId + "'");

        assertThat(outcome.get("event").asString()).as(outcome.toString()).isEqualTo("message");
        assertThat(outcome.get("properties").get("referralBusReferralId").asString()).isEqualTo(referralId);
        byte[] sealed = Base64.getDecoder().decode(outcome.get("body").asString());
        assertThat(new String(ProviderInbox.open("shelter-dushanbe", sealed).content(), StandardCharsets.UTF_8)).contains(referralId);
    }

    @Test
    void agencySubmitsWithAStockAmqpClientAndIsTheSenderWhateverItClaims() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-return-reintegration-gbao"));
        String referralId = ReferralExamples.referralId(xml);
        Path envelope = DATA_DIR.resolve(referralId + ".p7m");
        Files.write(envelope, SampleKeys.agencySealer("iom-mission").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()));

        JsonNode sent = probe("send", String.valueOf(BROKER_PORT), "agencies", "iom-mission", "referrals.intake",
                envelope.toString(), "referralBusTlsClient=border-service");

        assertThat(sent.get("event").asString()).as(sent.toString()).isEqualTo("accepted");
        assertThat(ProviderInbox.overTls(BROKER_PORT).take("reintegration-national", referralId, 20_000)).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT sender FROM referral WHERE referral_id = ?", String.class, referralId)).isEqualTo("iom-mission");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE referral_id = ? AND actor = 'border-service'",
                Integer.class, referralId)).isZero();
    }

    @Test
    void providerAcknowledgesWithAStockAmqpClientAndIsTheSenderWhateverItClaims() throws Exception {
        String referralId = submit("border-service", "border-service-adult-woman-shelter-dushanbe");
        String deliveryId = await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
                "SELECT delivery_id FROM delivery WHERE referral_id = ? AND provider_id = 'shelter-dushanbe' AND state = 'DELIVERED'",
                String.class, referralId), ids -> ids.size() == 1).get(0);
        Path ack = Files.writeString(DATA_DIR.resolve(deliveryId + "-ack.json"),
                "{\"deliveryId\": \"" + deliveryId + "\", \"decision\": \"ACCEPTED\"}");

        JsonNode refused = probe("send", String.valueOf(BROKER_PORT), "providers", "medical-dushanbe", "acknowledgements.shelter-dushanbe",
                ack.toString());
        JsonNode sent = probe("send", String.valueOf(BROKER_PORT), "providers", "shelter-dushanbe", "acknowledgements.shelter-dushanbe",
                ack.toString(), "referralBusProviderId=medical-dushanbe");

        assertThat(refused.get("event").asString()).as("only shelter-dushanbe may send to its queue: " + refused).isEqualTo("refused");
        assertThat(sent.get("event").asString()).as(sent.toString()).isEqualTo("accepted");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT state FROM delivery WHERE delivery_id = ?", String.class, deliveryId), "ACCEPTED"::equals);
        assertThat(jdbc.queryForList("SELECT actor FROM audit_event WHERE referral_id = ? AND event_type = 'ACKNOWLEDGED'",
                String.class, referralId)).containsExactly("shelter-dushanbe");
    }

    @Test
    void anotherProvidersQueueAnotherRoleNoCertificateAndPlainTextAreRefused() throws Exception {
        assertThat(probe("receive", String.valueOf(BROKER_PORT), "providers", "medical-dushanbe", "deliveries.shelter-dushanbe", null)
                .get("event").asString()).isEqualTo("refused");
        assertThat(probe("receive", String.valueOf(BROKER_PORT), "agencies", "border-service", "deliveries.shelter-dushanbe", null)
                .get("event").asString()).isEqualTo("refused");
        assertThat(probe("receive", String.valueOf(BROKER_PORT), "auditors", "oversight-board", "deliveries.shelter-dushanbe", null)
                .get("event").asString()).isEqualTo("refused");
        assertThat(probe("receive", String.valueOf(BROKER_PORT), null, null, "deliveries.shelter-dushanbe", null)
                .get("event").asString()).isEqualTo("refused");
        assertThat(probe("receive", "plain:" + BROKER_PORT, null, null, "deliveries.shelter-dushanbe", null)
                .get("event").asString()).isEqualTo("refused");
    }

    private String submit(String agency, String example) throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example(example));
        byte[] envelope = SampleKeys.agencySealer(agency).seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        assertThat(agency(agency).post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode()).isEqualTo(202);
        return ReferralExamples.referralId(xml);
    }

    private static JsonNode probe(String mode, String port, String folder, String id, String address, String extra, String... more)
            throws Exception {
        List<String> arguments = new ArrayList<>();
        if (extra != null) {
            arguments.add(extra);
        }
        arguments.addAll(List.of(more));
        return AmqpProbe.run(mode, port, folder, id, address, arguments.toArray(String[]::new));
    }
}
