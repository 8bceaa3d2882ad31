package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
import org.referralbus.support.TestPki;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The agency registry changes while the bus runs, as the provider registry does: an agency removed from the file is
 * refused within the reload interval, a broken file is refused (audited, logged) while the list in force stays, and
 * an agency added back gets in again. No restart.
 */
class AgencyRegistryReloadTest {

    @TempDir
    static Path dir;
    static Path registry;
    static StandaloneBus bus;

    @BeforeAll
    static void startWithACopyOfTheRegistry() throws Exception {
        registry = dir.resolve("agencies.yaml");
        Files.writeString(registry, registryOf("border-service", "ngo-hotline"));
        bus = StandaloneBus.start(dir.resolve("data"), "--referral-bus.participants.agencies=" + registry,
                "--referral-bus.registry.reload-interval=300ms", "--referral-bus.intake.rate-limit.enabled=false");
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void removedAgencyIsRefusedBrokenFileKeepsTheListAndAnAddedAgencyGetsIn() throws Exception {
        assertThat(submit("ngo-hotline")).isEqualTo(202);

        Files.writeString(registry, registryOf("border-service"));
        await().atMost(Duration.ofSeconds(30)).until(() -> submit("ngo-hotline") == 401);
        assertThat(submit("border-service")).isEqualTo(202);
        assertThat(configurationRows()).anyMatch(d -> d.startsWith("agencies-reloaded:"));

        Files.writeString(registry, "agencies:\n  - id: Not An Id\n    name: broken\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> configurationRows().stream().anyMatch(d -> d.startsWith("agencies-refused:")));
        assertThat(submit("border-service")).as("the list in force stays").isEqualTo(202);
        assertThat(submit("ngo-hotline")).isEqualTo(401);

        Files.writeString(registry, registryOf("border-service", "ngo-hotline"));
        await().atMost(Duration.ofSeconds(30)).until(() -> submit("ngo-hotline") == 202);
        assertThat(configurationRows()).first().matches(d -> d.startsWith("agencies-loaded:"));
    }

    /**
     * {@code participant add} for an id already issued rewrites the certificate file the registry names, and nothing
     * in the registry's text: the bus must still take the new key (it bound the agency to the old one until a restart).
     */
    @Test
    void aCertificateRenewedInPlaceOnANewKeyIsTakenWithoutARestart() throws Exception {
        Path renewing = dir.resolve("iom-mission.crt");
        Files.copy(SampleKeys.certificate("agencies", "iom-mission"), renewing);
        Path withRenewal = dir.resolve("with-renewal.yaml");
        Files.writeString(withRenewal, registryOf("border-service", "ngo-hotline") + "  - id: iom-mission\n    name: iom-mission\n"
                + "    certificate: " + renewing + "\n");
        Files.move(withRenewal, registry, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(30)).until(() -> submit("iom-mission") == 202);

        TestPki.Identity renewed = TestPki.sample().issue("iom-mission", ParticipantRole.AGENCY, TestPki.KeyType.EC_P256,
                Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
        assertThat(submitAs(renewed)).as("the registry still binds the old key").isEqualTo(401);
        TestPki.writePem(renewing, renewed.certificate());

        await().atMost(Duration.ofSeconds(30)).until(() -> submitAs(renewed) == 202);
        assertThat(submit("iom-mission")).as("the old key is no longer the registered one").isEqualTo(401);
    }

    private static int submitAs(TestPki.Identity agency) throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))
                .replace("agencyId=\"border-service\"", "agencyId=\"" + agency.id() + "\"");
        byte[] envelope = new EnvelopeSealer(agency.key(), agency.certificate())
                .seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        return MutualTlsClient.as(bus.baseUrl(), agency.certificate(), agency.key())
                .post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode();
    }

    private static List<String> configurationRows() {
        return bus.bean(JdbcTemplate.class).queryForList("SELECT detail FROM audit_event WHERE event_type = 'CONFIGURATION_CHANGED' "
                + "AND detail LIKE 'agencies-%' ORDER BY seq", String.class);
    }

    private static int submit(String agency) throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))
                .replace("agencyId=\"border-service\"", "agencyId=\"" + agency + "\"");
        byte[] envelope = SampleKeys.agencySealer(agency).seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        return MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", agency), SampleKeys.key("agencies", agency))
                .post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode();
    }

    private static String registryOf(String... agencies) {
        StringBuilder yaml = new StringBuilder("agencies:\n");
        for (String agency : agencies) {
            yaml.append("  - id: ").append(agency).append("\n    name: ").append(agency).append("\n    certificate: ")
                    .append(SampleKeys.certificate("agencies", agency).toAbsolutePath()).append('\n');
        }
        return yaml.toString();
    }
}
