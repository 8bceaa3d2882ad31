package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.BusProbe;
import org.referralbus.support.RawEnvelopes;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.TestPki;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outside review, December 2026: an agency that gets hold of an envelope another participant sealed for the bus (a
 * shared gateway, a copied file) and posts it learns nothing of its signer. Before, the answer depended on the signer:
 * {@code signer_mismatch} for an agency in good standing, {@code signer_untrusted} with the certificate's serial number
 * for an expired, revoked or look-alike one (or one from another CA that names no one), {@code forbidden} for a signer
 * that is no agency (a provider) or a certificate that names no participant.
 */
class SomeoneElsesEnvelopeEndToEndTest extends RunningBus {

    private static final String CMS = "application/pkcs7-mime";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;

    @Test
    void anotherParticipantsEnvelopeGetsOneAnswerWhateverItsSignersStanding() throws Exception {
        Instant now = Instant.now();
        TestPki.Identity expired = TestPki.sample().issue("border-service", ParticipantRole.AGENCY, TestPki.KeyType.EC_P256,
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        TestPki.Identity lookAlike = TestPki.sample().identity("border-service", ParticipantRole.AGENCY, TestPki.KeyType.EC_P256);
        TestPki.Identity provider = new TestPki.Identity("shelter-dushanbe", ParticipantRole.PROVIDER,
                SampleKeys.privateKey("providers", "shelter-dushanbe"), SampleKeys.certificateOf("providers", "shelter-dushanbe"));
        Map<String, Supplier<byte[]>> envelopes = new LinkedHashMap<>();
        envelopes.put("signed by an agency in good standing",
                () -> SampleKeys.agencySealer("border-service").seal(fresh(), SampleKeys.busCertificate()));
        envelopes.put("signed with an expired certificate", () -> RawEnvelopes.sealedBy(expired, fresh(), SampleKeys.busCertificate()));
        envelopes.put("signed on a key the registry does not list", () -> RawEnvelopes.sealedBy(lookAlike, fresh(), SampleKeys.busCertificate()));
        envelopes.put("signed by a provider", () -> RawEnvelopes.sealedBy(provider, fresh(), SampleKeys.busCertificate()));
        TestPki.Identity nameless = TestPki.sample().custom(TestPki.participantName("visitors", "border-service"), List.of());
        envelopes.put("signed by a certificate that names no participant", () -> RawEnvelopes.sealedBy(nameless, fresh(),
                SampleKeys.busCertificate()));
        TestPki.Identity namelessStranger = TestPki.unrelated().custom(TestPki.participantName("visitors", "someone"), List.of());
        envelopes.put("signed by another CA's certificate that names no participant", () -> RawEnvelopes.sealedBy(namelessStranger,
                fresh(), SampleKeys.busCertificate()));

        String first = null;
        for (Map.Entry<String, Supplier<byte[]>> envelope : envelopes.entrySet()) {
            BusProbe probe = new BusProbe(jdbc, json).mark();
            HttpResponse<byte[]> answer = agency("ngo-hotline").post("/api/v1/referrals", envelope.getValue().get(), CMS);

            probe.assertProblem(answer, 403, "signer_mismatch");
            probe.assertRejectedAndNothingDelivered("signer_mismatch");
            String body = new String(answer.body(), StandardCharsets.UTF_8);
            assertThat(body).as(envelope.getKey()).contains("another participant")
                    .doesNotContain("border-service", "shelter-dushanbe", "serial", "registered", "trusted");
            if (first == null) {
                first = body;
            }
            assertThat(body).as(envelope.getKey() + ": the very same answer").isEqualTo(first);
        }
    }

    @Test
    void theSignersOwnUntrustedCertificateIsStillNamedToItself() throws Exception {
        Instant now = Instant.now();
        TestPki.Identity expired = TestPki.sample().issue("border-service", ParticipantRole.AGENCY, TestPki.KeyType.EC_P256,
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        BusProbe probe = new BusProbe(jdbc, json).mark();

        HttpResponse<byte[]> answer = agency("border-service").post("/api/v1/referrals",
                RawEnvelopes.sealedBy(expired, fresh(), SampleKeys.busCertificate()), CMS);

        assertThat(probe.assertProblem(answer, 403, "signer_untrusted").get("detail").asString())
                .contains(expired.certificate().getSerialNumber().toString(16));
    }

    private static byte[] fresh() {
        return ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))
                .getBytes(StandardCharsets.UTF_8);
    }
}
