package org.referralbus.participants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.PemFiles;
import org.referralbus.support.BusProbe;
import org.referralbus.support.LogCapture;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.RawEnvelopes;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.TestPki;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/** A certificate from the CA is not enough to send referrals: the agency must be in {@code routes/agencies.yaml}. */
class AgencyRegistryEndToEndTest extends RunningBus {

    @Autowired
    JmsTemplate jms;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;
    @Autowired
    tools.jackson.databind.json.JsonMapper json;
    @Autowired
    org.referralbus.audit.RefusalTally refusals;

    @TempDir
    Path dir;

    @Test
    void anAgencyCertificateForAnUnlistedIdDoesNotGetIn() throws Exception {
        TestPki.Identity rogue = TestPki.sample().issue("rogue-agency", ParticipantRole.AGENCY, TestPki.KeyType.EC_P256,
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(86_400));
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))
                .replace("agencyId=\"border-service\"", "agencyId=\"rogue-agency\"");

        refusals.flush();
        long mark = jdbc.queryForObject("SELECT seq FROM audit_head WHERE id = 1", Long.class);
        java.net.http.HttpResponse<byte[]> response;
        java.util.List<String> logged;
        try (LogCapture logs = LogCapture.start()) {
            response = MutualTlsClient.as(baseUrl(), rogue.certificate(), rogue.key()).post("/api/v1/referrals",
                    RawEnvelopes.sealedBy(rogue, xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()),
                    "application/pkcs7-mime");
            logged = logs.lines("Client certificate refused");
        }
        refusals.flush();

        // Not "a certificate from the configured CA is required": it has one, and is told it is not listed.
        assertThat(new BusProbe(jdbc, json).assertProblem(response, 401, "participant_not_registered").get("title").asString())
                .contains("not in the registry");
        assertThat(logged).hasSize(1).allSatisfy(line -> assertThat(line)
                .contains("code=participant_not_registered", "claimant=rogue-agency", "which no registry lists"));
        assertThat(jdbc.queryForList("SELECT detail FROM audit_event WHERE seq > ? AND event_type = 'REJECTED' "
                + "AND actor = 'rogue-agency'", String.class, mark)).containsExactly("participant_not_registered;count=1");
    }

    @Test
    void onTheQueueOnlyARegisteredAgencyMaySign() throws Exception {
        byte[] xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))
                .replace("agencyId=\"border-service\"", "agencyId=\"shelter-dushanbe\"").getBytes(StandardCharsets.UTF_8);
        byte[] signedByProvider = new EnvelopeSealer(SampleKeys.privateKey("providers", "shelter-dushanbe"),
                PemFiles.readCertificate(SampleKeys.certificate("providers", "shelter-dushanbe"))).seal(xml, SampleKeys.busCertificate());

        jms.send("referrals.intake", session -> {
            var message = session.createBytesMessage();
            message.writeBytes(signedByProvider);
            return message;
        });

        jms.setReceiveTimeout(15_000);
        Message parked = jms.receiveSelected("referrals.intake.rejected", "referralBusErrorCode = 'forbidden'");
        assertThat(parked).isNotNull();
        assertThat(parked.getBody(byte[].class)).isEqualTo(signedByProvider);
    }

    @Test
    void aWrongRegistryStopsTheStart() throws Exception {
        String hotline = SampleKeys.certificate("agencies", "ngo-hotline").toAbsolutePath().toString();
        String shelter = SampleKeys.certificate("providers", "shelter-dushanbe").toAbsolutePath().toString();
        Path twice = Files.writeString(dir.resolve("twice.yaml"), "agencies:\n  - id: ngo-hotline\n    name: A\n"
                + "    certificate: " + hotline + "\n  - id: ngo-hotline\n    name: B\n    certificate: " + hotline + "\n");
        Path badId = Files.writeString(dir.resolve("bad.yaml"), "agencies:\n  - id: Border Service\n    name: A\n");
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "agencies: []\n");
        Path noCertificate = Files.writeString(dir.resolve("none.yaml"), "agencies:\n  - id: ngo-hotline\n    name: A\n");
        Path othersCertificate = Files.writeString(dir.resolve("other.yaml"),
                "agencies:\n  - id: border-service\n    name: A\n    certificate: " + hotline + "\n");
        Path providersCertificate = Files.writeString(dir.resolve("provider.yaml"),
                "agencies:\n  - id: shelter-dushanbe\n    name: A\n    certificate: " + shelter + "\n");

        assertThatThrownBy(() -> AgencyRegistry.load(twice)).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> AgencyRegistry.load(badId)).hasMessageContaining("not a participant id");
        assertThatThrownBy(() -> AgencyRegistry.load(empty)).hasMessageContaining("lists no agency");
        assertThatThrownBy(() -> AgencyRegistry.load(noCertificate)).hasMessageContaining("has no certificate");
        assertThatThrownBy(() -> AgencyRegistry.load(othersCertificate)).hasMessageContaining("belongs to 'ngo-hotline'");
        assertThatThrownBy(() -> AgencyRegistry.load(providersCertificate)).hasMessageContaining("(PROVIDER)");
        AgencyRegistry sample = AgencyRegistry.load(Path.of("routes/agencies.yaml"));
        assertThat(sample.certificatesOf(new ParticipantIdentity("iom-mission", ParticipantRole.AGENCY)))
                .containsExactly(PemFiles.readCertificate(SampleKeys.certificate("agencies", "iom-mission")));
        assertThat(sample.certificatesOf(new ParticipantIdentity("iom-mission", ParticipantRole.PROVIDER))).isEmpty();
    }
}
