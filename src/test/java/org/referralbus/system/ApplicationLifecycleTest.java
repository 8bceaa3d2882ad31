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
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.referralbus.support.TestPki;
import org.springframework.jdbc.core.JdbcTemplate;

class ApplicationLifecycleTest {

    @TempDir
    Path dataDir;

    @Test
    void duplicateIsRecognisedAcrossARestartAndNothingIsDeliveredTwice() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());

        // Issue 4: the same person referred before and after the restart, by another agency in Latin script.
        String personFirst = java.util.UUID.randomUUID().toString();
        String personAgain = java.util.UUID.randomUUID().toString();
        String cyrillic = ReferralExamples.withCreatedAt(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"),
                        java.time.OffsetDateTime.now())
                .replaceFirst("<referralId>[^<]+</referralId>", "<referralId>" + personFirst + "</referralId>")
                .replace("Меҳрангез", "Гулчеҳра").replace("Раҳимова", "Қодирова").replace("1998-04-12", "1987-07-07");
        String latin = ReferralExamples.withCreatedAt(ReferralExamples.example("ngo-hotline-at-risk-online-recruitment"),
                        java.time.OffsetDateTime.now())
                .replaceFirst("<referralId>[^<]+</referralId>", "<referralId>" + personAgain + "</referralId>")
                .replaceFirst("<givenName>[^<]+</givenName>", "<givenName>Gulchehra</givenName>")
                .replaceFirst("<familyName>[^<]+</familyName>", "<familyName>KODIROVA</familyName>")
                .replaceFirst("<patronymic>[^<]+</patronymic>", "")
                .replaceFirst("<sex>[A-Z]+</sex>", "<sex>FEMALE</sex>")
                .replaceFirst("<birthDate>[^<]+</birthDate>|<ageEstimate>[^<]+</ageEstimate>", "<birthDate>1987-07-07</birthDate>");

        byte[] firstReceipt;
        try (StandaloneBus bus = StandaloneBus.start(dataDir)) {
            HttpResponse<byte[]> first = client(bus).post("/api/v1/referrals", envelope, "application/pkcs7-mime");
            assertThat(first.statusCode()).isEqualTo(202);
            firstReceipt = first.body();
            assertThat(client(bus).post("/api/v1/referrals", SampleKeys.agencySealer("border-service").seal(
                    cyrillic.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()), "application/pkcs7-mime").statusCode())
                    .isEqualTo(202);
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

            HttpResponse<byte[]> hotline = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "ngo-hotline"),
                    SampleKeys.key("agencies", "ngo-hotline")).post("/api/v1/referrals", SampleKeys.agencySealer("ngo-hotline")
                    .seal(latin.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()), "application/pkcs7-mime");
            assertThat(hotline.statusCode()).isEqualTo(202);
            // Linked to the case opened before the restart; another agency's case, so its sender is not told (issue 10).
            assertThat(jdbc.queryForObject("SELECT case_id FROM referral WHERE sender = 'ngo-hotline' AND referral_id = ?",
                    String.class, personAgain)).isEqualTo(jdbc.queryForObject(
                    "SELECT case_id FROM referral WHERE sender = 'border-service' AND referral_id = ?", String.class, personFirst));
            assertThat(bus.bean(org.referralbus.dedupe.CaseLinks.class).isLinkedToExistingCase("ngo-hotline", personAgain)).isFalse();
        }
    }

    @Test
    void prodProfileRefusesToStartWithSampleKeys() {
        // A real person-key secret, so that what is refused is the sample bus key itself.
        assertThatThrownBy(() -> StandaloneBus.start(dataDir, "--spring.profiles.active=prod",
                "--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("db/prod") + ";WRITE_DELAY=0",
                "--referral-bus.dedupe.person-key-secret=base64:" + java.util.Base64.getEncoder().encodeToString(
                        "a test secret that is not the published sample".getBytes(StandardCharsets.UTF_8)),
                "--referral-bus.audit.totp-encryption.key=base64:" + java.util.Base64.getEncoder().encodeToString(
                        "a 32-byte key, not the sample!!!".getBytes(StandardCharsets.UTF_8))).close())
                .rootCause()
                .hasMessageContaining("Refusing to start in the prod profile with sample keys")
                .hasMessageContaining("PKCS#12 keystore")
                .hasMessageContaining("embedded broker acceptor");
    }

    @Test
    void prodProfileStartsWithRealKeysFromAPkcs12KeystoreWhosePasswordComesFromTheEnvironment() throws Exception {
        TestPki pki = TestPki.production("Ministry of Labour");
        TestPki.Identity bus = pki.identity("referral-bus", ParticipantRole.BUS, TestPki.KeyType.EC_P256);
        TestPki.Identity tls = pki.server(java.util.List.of("localhost", "127.0.0.1"), java.time.Instant.now().minus(java.time.Duration.ofDays(1)),
                java.time.Instant.now().plus(java.time.Duration.ofDays(365))); // serverAuth, or the start is refused
        Path keystore = BusKeyLoaderTest.pkcs12(bus, dataDir.resolve("bus.p12"), "from-the-environment");
        tls.writePem(dataDir, "tls");
        Path anchors = pki.writeCaPem(dataDir.resolve("ca.crt"));
        pki.identity("coordinator", ParticipantRole.PROVIDER, TestPki.KeyType.EC_P256).writePem(dataDir, "coordinator");
        pki.identity("child-protection-national", ParticipantRole.PROVIDER, TestPki.KeyType.EC_P256)
                .writePem(dataDir, "child-protection-national");
        java.nio.file.Files.writeString(dataDir.resolve("providers.yaml"), """
                providers:
                  - id: coordinator
                    name: Coordinator
                    services: []
                    regions: [NATIONAL]
                    certificate: coordinator.crt
                    channel: QUEUE
                  - id: child-protection-national
                    services: [CHILD_PROTECTION]
                    regions: [NATIONAL]
                    certificate: child-protection-national.crt
                """);

        // REFERRAL_BUS_KEYSTORE_PASSWORD is what application-prod.yaml reads; given here as a property of that name.
        try (StandaloneBus started = StandaloneBus.start(dataDir, "--spring.profiles.active=prod",
                "--spring.datasource.url=jdbc:h2:file:" + dataDir.resolve("db/prod") + ";WRITE_DELAY=0",
                "--referral-bus.identity.keystore=" + keystore, "--REFERRAL_BUS_KEYSTORE_PASSWORD=from-the-environment",
                "--referral-bus.identity.trust-anchors=" + anchors,
                "--referral-bus.registry.providers=" + dataDir.resolve("providers.yaml"),
                "--referral-bus.tls.certificate=" + dataDir.resolve("tls.crt"),
                "--referral-bus.tls.private-key=" + dataDir.resolve("tls.key"),
                "--referral-bus.broker.certificate=" + dataDir.resolve("tls.crt"),
                "--referral-bus.broker.private-key=" + dataDir.resolve("tls.key"),
                "--referral-bus.dedupe.person-key-secret=base64:" + java.util.Base64.getEncoder().encodeToString(
                        "a test secret that is not the published sample".getBytes(StandardCharsets.UTF_8)),
                "--referral-bus.audit.totp-encryption.key=base64:" + java.util.Base64.getEncoder().encodeToString(
                        "a 32-byte key, not the sample!!!".getBytes(StandardCharsets.UTF_8)))) {
            assertThat(started.bean(java.security.cert.X509Certificate.class)).isEqualTo(bus.certificate());
        }
    }

    private static MutualTlsClient client(StandaloneBus bus) {
        return MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "border-service"),
                SampleKeys.key("agencies", "border-service"));
    }
}
