package org.referralbus.participants;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralbus.audit.RefusalTally;
import org.referralbus.support.BusProbe;
import org.referralbus.support.LogCapture;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.RawEnvelopes;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.TestPki;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Look-alikes: certificates minted from the very CA the bus trusts, naming existing participants (or made-up ones)
 * on new keys, as a compromised or careless CA could issue them. The registries name each participant's
 * certificate, so none of them gets in: not over HTTPS, not as a signer on the queue intake.
 */
class RegistryBindingEndToEndTest extends RunningBus {

    private static final String CMS = "application/pkcs7-mime";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    JmsTemplate jms;
    @Autowired
    RefusalTally refusals;

    @Test
    void aLookAlikeProviderCanNeitherListNorFetchNorAcknowledgeTheRealProvidersDelivery() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("interior-ministry-labour-legal-sughd"));
        String referralId = ReferralExamples.referralId(xml);
        assertThat(agency("interior-ministry").post("/api/v1/referrals", SampleKeys.agencySealer("interior-ministry")
                .seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()), CMS).statusCode()).isEqualTo(202);
        String deliveryId = inboxEntry(provider("legal-aid-khujand"), referralId).get("deliveryId").asString();
        MutualTlsClient lookAlike = lookAlike("legal-aid-khujand", ParticipantRole.PROVIDER);
        BusProbe probe = new BusProbe(jdbc, json).mark();

        probe.assertProblem(lookAlike.get("/api/v1/inbox"), 401, "participant_key_mismatch");
        probe.assertProblem(lookAlike.get("/api/v1/inbox/" + deliveryId), 401, "participant_key_mismatch");
        probe.assertProblem(lookAlike.post("/api/v1/inbox/" + deliveryId + "/ack",
                "{\"decision\":\"ACCEPTED\"}".getBytes(StandardCharsets.UTF_8), "application/json"), 401,
                "participant_key_mismatch");

        assertThat(jdbc.queryForObject("SELECT state FROM delivery WHERE delivery_id = ?", String.class, deliveryId))
                .isEqualTo("DELIVERED");
        assertThat(inboxEntry(provider("legal-aid-khujand"), referralId)).as("still in the real provider's inbox").isNotNull();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE referral_id = ? AND event_type IN "
                + "('FETCHED', 'ACKNOWLEDGED', 'DECLINED')", Integer.class, referralId)).isZero();
    }

    @Test
    void aLookAlikeAuditorAndAMadeUpOneCannotReadTheAuditorApi() throws Exception {
        BusProbe probe = new BusProbe(jdbc, json);

        probe.assertProblem(lookAlike("oversight-board", ParticipantRole.AUDITOR).get("/api/v1/audit/events"), 401,
                "participant_key_mismatch");
        probe.assertProblem(lookAlike("audit-office", ParticipantRole.AUDITOR).get("/api/v1/audit/events"), 401,
                "participant_not_registered");
        probe.assertProblem(lookAlike("bus-admin", ParticipantRole.ADMIN).get("/actuator/metrics"), 401,
                "participant_key_mismatch");
        assertThat(sample("auditors", "oversight-board").get("/api/v1/audit/events").statusCode()).isEqualTo(200);
        assertThat(sample("admins", "bus-admin").get("/actuator/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void aLookAlikeAgencyCannotSubmitOverHttps() throws Exception {
        TestPki.Identity lookAlike = mint("border-service", ParticipantRole.AGENCY);
        long mark = jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);

        HttpResponse<byte[]> response = MutualTlsClient.as(baseUrl(), lookAlike.certificate(), lookAlike.key())
                .post("/api/v1/referrals", RawEnvelopes.sealedBy(lookAlike, freshReferral(), SampleKeys.busCertificate()), CMS);

        new BusProbe(jdbc, json).assertProblem(response, 401, "participant_key_mismatch");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE seq > ? AND event_type = 'RECEIVED'",
                Integer.class, mark)).as("the envelope never reached the flow").isZero();
    }

    @Test
    void aLookAlikeAgencyCannotSignEnvelopesNeitherOverHttpsNorOnTheQueueIntake() throws Exception {
        TestPki.Identity lookAlike = mint("border-service", ParticipantRole.AGENCY);
        byte[] forged = RawEnvelopes.sealedBy(lookAlike, freshReferral(), SampleKeys.busCertificate());
        BusProbe probe = new BusProbe(jdbc, json).mark();

        probe.assertProblem(agency("border-service").post("/api/v1/referrals", forged, CMS), 403, "signer_untrusted");
        probe.assertRejectedAndNothingDelivered("signer_untrusted");

        byte[] forgedForQueue = RawEnvelopes.sealedBy(lookAlike, freshReferral(), SampleKeys.busCertificate());
        jms.send("referrals.intake", session -> {
            var message = session.createBytesMessage();
            message.writeBytes(forgedForQueue);
            return message;
        });
        jms.setReceiveTimeout(15_000);
        Message parked = jms.receiveSelected("referrals.intake.rejected", "referralBusErrorCode = 'signer_untrusted'");
        assertThat(parked).isNotNull();
        assertThat(parked.getBody(byte[].class)).isEqualTo(forgedForQueue);
    }

    @Test
    void refusalsAreLoggedOnceAndAuditedAsOneRowWithACountPerWindow() throws Exception {
        refusals.flush();
        long mark = jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);
        MutualTlsClient lookAlike = lookAlike("shelter-dushanbe", ParticipantRole.PROVIDER);
        List<String> logged;
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 5; i++) {
                assertThat(lookAlike.get("/api/v1/inbox").statusCode()).isEqualTo(401);
            }
            logged = logs.lines("Client certificate refused");
        }
        refusals.flush();

        assertThat(logged).hasSize(1).allSatisfy(line -> assertThat(line)
                .contains("code=participant_key_mismatch", "claimant=shelter-dushanbe"));
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE seq > ? AND event_type = 'REJECTED' "
                + "AND actor = 'shelter-dushanbe'", String.class, mark)).containsExactly("participant_key_mismatch;count=5");
    }

    private JsonNode inboxEntry(MutualTlsClient provider, String referralId) throws Exception {
        for (JsonNode entry : json.readTree(provider.get("/api/v1/inbox").body()).get("deliveries")) {
            if (entry.get("referralId").asString().equals(referralId)) {
                return entry;
            }
        }
        return null;
    }

    private MutualTlsClient lookAlike(String id, ParticipantRole role) {
        TestPki.Identity identity = mint(id, role);
        return MutualTlsClient.as(baseUrl(), identity.certificate(), identity.key());
    }

    /** A certificate from the sample CA the bus trusts, naming {@code id} and {@code role}, on a new key. */
    private static TestPki.Identity mint(String id, ParticipantRole role) {
        return TestPki.sample().issue(id, role, TestPki.KeyType.EC_P256, Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(86_400));
    }

    private MutualTlsClient sample(String folder, String id) {
        return MutualTlsClient.as(baseUrl(), SampleKeys.certificate(folder, id), SampleKeys.key(folder, id));
    }

    private static byte[] freshReferral() {
        return ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))
                .getBytes(StandardCharsets.UTF_8);
    }
}
