package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.TestPki;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.springframework.jdbc.core.JdbcTemplate;

class ApplicationLifecycleTest {

    @TempDir
    Path dataDir;

    @Test
    void duplicateIsRecognisedAcrossARestartAndNothingIsDeliveredTwice() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());

        byte[] firstReceipt;
        try (StandaloneBus bus = StandaloneBus.start(dataDir)) {
            HttpResponse<byte[]> first = client(bus).post("/api/v1/referrals", envelope, "application/pkcs7-mime");
            assertThat(first.statusCode()).isEqualTo(202);
            firstReceipt = first.body();
        }
        try (StandaloneBus bus = StandaloneBus.start(dataDir)) {
            HttpResponse<byte[]> again = client(bus).post("/api/v1/referrals", envelope, "application/pkcs7-mime");

            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(again.body()).isEqualTo(firstReceipt);
            assertThat(again.headers().firstValue("Referral-Bus-Duplicate")).hasValue("true");
            JdbcTemplate jdbc = bus.bean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND provider_id = 'shelter-dushanbe'",
                    Integer.class, referralId)).isEqualTo(1);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE referral_id = ? AND event_type = 'DUPLICATE'",
                    Integer.class, referralId)).isEqualTo(1);
        }
    }

    @Test
    void prodProfileRefusesToStartWithSampleKeys() {
        assertThatThrownBy(() -> StandaloneBus.start(dataDir, "--spring.profiles.active=prod").close())
                .rootCause()
                .hasMessageContaining("Refusing to start in the prod profile with sample keys")
                .hasMessageContaining("PKCS#12 keystore");
    }

    @Test
    void prodProfileStartsWithRealKeysFromAPkcs12KeystoreWhosePasswordComesFromTheEnvironment() throws Exception {
        TestPki pki = TestPki.production("Ministry of Labour");
        TestPki.Identity bus = pki.identity("referral-bus", ParticipantRole.BUS, TestPki.KeyType.EC_P256);
        TestPki.Identity tls = pki.identity("localhost", ParticipantRole.BUS, TestPki.KeyType.EC_P256);
        Path keystore = BusKeyLoaderTest.pkcs12(bus, dataDir.resolve("bus.p12"), "from-the-environment");
        tls.writePem(dataDir, "tls");
        Path anchors = pki.writeCaPem(dataDir.resolve("ca.crt"));
        pki.identity("coordinator", ParticipantRole.PROVIDER, TestPki.KeyType.EC_P256).writePem(dataDir, "coordinator");
        java.nio.file.Files.writeString(dataDir.resolve("providers.yaml"), """
                providers:
                  - id: coordinator
                    name: Coordinator
                    services: []
                    regions: [NATIONAL]
                    certificate: coordinator.crt
                    channel: QUEUE
                """);

        // REFERRAL_BUS_KEYSTORE_PASSWORD is what application-prod.yaml reads; given here as a property of that name.
        try (StandaloneBus started = StandaloneBus.start(dataDir, "--spring.profiles.active=prod",
                "--referral-bus.identity.keystore=" + keystore, "--REFERRAL_BUS_KEYSTORE_PASSWORD=from-the-environment",
                "--referral-bus.identity.trust-anchors=" + anchors,
                "--referral-bus.registry.providers=" + dataDir.resolve("providers.yaml"),
                "--spring.ssl.bundle.pem.server.keystore.certificate=file:" + dataDir.resolve("tls.crt"),
                "--spring.ssl.bundle.pem.server.keystore.private-key=file:" + dataDir.resolve("tls.key"))) {
            assertThat(started.bean(java.security.cert.X509Certificate.class)).isEqualTo(bus.certificate());
        }
    }

    private static MutualTlsClient client(StandaloneBus bus) {
        return MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "border-service"),
                SampleKeys.key("agencies", "border-service"));
    }
}
