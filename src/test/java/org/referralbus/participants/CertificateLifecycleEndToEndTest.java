package org.referralbus.participants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.referralbus.envelope.PemFiles;
import org.referralbus.routing.Provider;
import org.referralbus.routing.ProviderRegistry;
import org.referralbus.routing.RegistryProperties;
import org.referralbus.support.BusProbe;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.RawEnvelopes;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.TestPki;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Certificates over their life: expired and not-yet-valid ones refused in TLS and as CMS signers, revocation by
 * replacing the CRL file while the bus runs, and the bus key rotation window.
 */
class CertificateLifecycleEndToEndTest extends RunningBus {

    private static final String CMS = "application/pkcs7-mime";
    private static final Duration DAY = Duration.ofDays(1);

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;

    @Autowired
    ProviderRegistry providers;
    @Autowired
    RegistryProperties registryProperties;
    @Autowired
    CertificateTrust trust;

    @AfterEach
    void unrevokeEveryone() {
        TestPki.writePem(CRL_FILE, TestPki.sample().crl(List.of()));
        providers.reloadIfChanged();
    }

    /**
     * A provider revoked while it is still listed: new referrals go past it (it could neither fetch nor answer), and
     * the registry still loads with it (it refused every later edit, and the bus's next start). Renewed or unrevoked,
     * it gets referrals again.
     */
    @Test
    void aRevokedProviderStillListedGetsNoNewReferralsAndTheRegistryStillLoads() throws Exception {
        TestPki.writePem(CRL_FILE, TestPki.sample().crl(List.of(SampleKeys.certificateOf("providers", "medical-dushanbe"))));
        providers.reloadIfChanged(); // each reload look checks the providers' certificates again

        assertThat(ProviderRegistry.read(registryProperties, trust)).as("what a restart reads")
                .extracting(Provider::id).contains("medical-dushanbe");
        assertThat(medicalProviderOfANewReferral()).isEqualTo("coordinator");

        TestPki.writePem(CRL_FILE, TestPki.sample().crl(List.of()));
        providers.reloadIfChanged();
        assertThat(medicalProviderOfANewReferral()).isEqualTo("medical-dushanbe");
    }

    private String medicalProviderOfANewReferral() throws Exception {
        String xml = new String(freshReferral(), StandardCharsets.UTF_8);
        HttpResponse<byte[]> receipt = agency("border-service").post("/api/v1/referrals",
                SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()), CMS);
        assertThat(receipt.statusCode()).isEqualTo(202);
        tools.jackson.databind.JsonNode status = json.readTree(agency("border-service")
                .get("/api/v1/referrals/" + ReferralExamples.referralId(xml) + "/status").body());
        for (tools.jackson.databind.JsonNode need : status.get("needs")) {
            if (need.get("service").asString().equals("MEDICAL")) {
                return need.get("provider").asString();
            }
        }
        throw new AssertionError("no MEDICAL need in " + status);
    }

    @Test
    void expiredAndNotYetValidClientCertificatesDoNotGetIn() {
        Instant now = Instant.now();
        TestPki.Identity expired = TestPki.sample().issue("border-service", ParticipantRole.AGENCY, TestPki.KeyType.EC_P256,
                now.minus(DAY.multipliedBy(30)), now.minus(DAY));
        TestPki.Identity notYetValid = TestPki.sample().issue("border-service", ParticipantRole.AGENCY,
                TestPki.KeyType.EC_P256, now.plus(DAY), now.plus(DAY.multipliedBy(30)));

        for (TestPki.Identity identity : List.of(expired, notYetValid)) {
            Throwable refused = catchThrowable(() -> {
                HttpResponse<byte[]> response = MutualTlsClient.as(baseUrl(), identity.certificate(), identity.key())
                        .post("/api/v1/referrals", new byte[] {0x30, 0x00}, CMS);
                assertThat(response.statusCode()).isEqualTo(401);
            });
            assertThat(refused).as("handshake refused, or 401").satisfiesAnyOf(
                    t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(IOException.class));
        }
    }

    @Test
    void expiredAndNotYetValidSignersAreRefusedAndAudited() throws Exception {
        Instant now = Instant.now();
        TestPki.Identity expired = TestPki.sample().issue("border-service", ParticipantRole.AGENCY, TestPki.KeyType.EC_P256,
                now.minus(DAY.multipliedBy(30)), now.minus(DAY));
        TestPki.Identity notYetValid = TestPki.sample().issue("border-service", ParticipantRole.AGENCY,
                TestPki.KeyType.EC_P256, now.plus(DAY), now.plus(DAY.multipliedBy(30)));

        for (TestPki.Identity signer : List.of(expired, notYetValid)) {
            BusProbe probe = new BusProbe(jdbc, json).mark();
            HttpResponse<byte[]> response = agency("border-service").post("/api/v1/referrals",
                    RawEnvelopes.sealedBy(signer, freshReferral(), SampleKeys.busCertificate()), CMS);

            probe.assertProblem(response, 403, "signer_untrusted");
            probe.assertRejectedAndNothingDelivered("signer_untrusted");
        }
    }

    @Test
    void revokingByReplacingTheCrlFileTakesEffectWithoutARestart() throws Exception {
        TestPki.Identity agency = renewedBorderService();
        MutualTlsClient client = MutualTlsClient.as(baseUrl(), agency.certificate(), agency.key());
        assertThat(client.get("/api/v1/bus/certificate").statusCode()).isEqualTo(200);

        TestPki.writePem(CRL_FILE, TestPki.sample().crl(List.of(agency.certificate())));

        assertThat(client.get("/api/v1/bus/certificate").statusCode()).isEqualTo(401);
        BusProbe probe = new BusProbe(jdbc, json).mark();
        HttpResponse<byte[]> signedByRevoked = agency("border-service").post("/api/v1/referrals",
                RawEnvelopes.sealedBy(agency, freshReferral(), SampleKeys.busCertificate()), CMS);
        probe.assertProblem(signedByRevoked, 403, "signer_untrusted");
        probe.assertRejectedAndNothingDelivered("signer_untrusted");
    }

    @Test
    void aCrlThatDoesNotVerifyCannotUnrevokeAnyone() throws Exception {
        TestPki.Identity agency = renewedBorderService();
        MutualTlsClient client = MutualTlsClient.as(baseUrl(), agency.certificate(), agency.key());
        assertThat(client.get("/api/v1/bus/certificate").statusCode()).isEqualTo(200);
        TestPki.writePem(CRL_FILE, TestPki.sample().crl(List.of(agency.certificate())));
        assertThat(client.get("/api/v1/bus/certificate").statusCode()).isEqualTo(401);

        // An empty CRL in the sample CA's name but signed by another key, then one from a CA the bus does not
        // trust: both ignored, the last good CRL stays in force.
        TestPki.writePem(CRL_FILE, TestPki.unrelated().forgedCrlInNameOf(TestPki.sample()));
        assertThat(client.get("/api/v1/bus/certificate").statusCode()).isEqualTo(401);
        TestPki.writePem(CRL_FILE, TestPki.unrelated().crl(List.of()));
        assertThat(client.get("/api/v1/bus/certificate").statusCode()).isEqualTo(401);
    }

    @Test
    void envelopesSealedForThePreviousBusKeyStillOpenDuringRotation() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-return-reintegration-gbao"));
        byte[] forOldKey = SampleKeys.agencySealer("iom-mission").seal(xml.getBytes(StandardCharsets.UTF_8),
                PREVIOUS_BUS.certificate());

        HttpResponse<byte[]> response = agency("iom-mission").post("/api/v1/referrals", forOldKey, CMS);

        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void participantsFetchTheCurrentBusCertificateOverMutualTls() throws Exception {
        HttpResponse<byte[]> response = provider("shelter-dushanbe").get("/api/v1/bus/certificate");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/x-pem-file"));
        assertThat(PemFiles.readCertificate(response.body())).isEqualTo(SampleKeys.busCertificate());
    }

    @Test
    void aCertificateRenewedOnTheRegisteredKeyIsAdmittedWithoutARegistryChange() throws Exception {
        TestPki.Identity renewed = renewedBorderService();
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));

        HttpResponse<byte[]> response = MutualTlsClient.as(baseUrl(), renewed.certificate(), renewed.key()).post(
                "/api/v1/referrals", RawEnvelopes.sealedBy(renewed, xml.getBytes(StandardCharsets.UTF_8),
                        SampleKeys.busCertificate()), CMS);

        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(202);
    }

    /** A new certificate (new serial, new dates) for border-service on the key the agency registry lists. */
    private static TestPki.Identity renewedBorderService() {
        return TestPki.sample().renew("border-service", ParticipantRole.AGENCY,
                PemFiles.readCertificate(SampleKeys.certificate("agencies", "border-service")).getPublicKey(),
                SampleKeys.privateKey("agencies", "border-service"), Instant.now().minus(DAY), Instant.now().plus(DAY));
    }

    private static byte[] freshReferral() {
        return ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))
                .getBytes(StandardCharsets.UTF_8);
    }
}
