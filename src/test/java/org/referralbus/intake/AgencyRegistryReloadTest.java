package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneBus;
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
