package org.referralbus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.referralbus.participants.CertificateTrust;
import org.referralbus.schema.referral.Region;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.support.SampleKeys;

class ProviderRegistryLoaderTest {

    private static final String CERTS = SampleKeys.ROOT.toAbsolutePath().resolve("providers").toString();
    private final ProviderRegistryLoader loader = new ProviderRegistryLoader(
            new CertificateTrust(List.of(SampleKeys.ca()), Clock.systemUTC()), RoutingRulesTest.REGISTRY.coordinator());

    @TempDir
    Path dir;

    @Test
    void theShippedRegistryIsValid() {
        List<Provider> providers = loader.load(Path.of("routes/providers.yaml"));

        assertThat(providers).extracting(Provider::id).contains("shelter-dushanbe", "legal-aid-khujand", "coordinator",
                "child-protection-national");
        assertThat(providers).filteredOn(p -> p.id().equals("legal-aid-khujand")).singleElement()
                .satisfies(p -> assertThat(p.channel()).isEqualTo(Provider.DeliveryChannel.INBOX));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown service|services: [ASTROLOGY]|unknown service 'ASTROLOGY'",
            "unknown region|regions: [MOSCOW]|unknown region 'MOSCOW'",
            "service not spelt as the schema does|services: [shelter]|unknown service 'shelter'",
            "unknown accepted sex|accepts: {sex: [F]}|unknown sex 'F'",
            "empty accepted sexes|accepts: {sex: []}|no rule can ever choose it",
            "zero capacity|capacity: 0|no rule can ever choose it",
            "webhook without url|channel: WEBHOOK|no https:// webhook URL",
            "unknown channel|channel: PIGEON|unknown channel 'PIGEON'",
            "unknown age group|accepts: {age: ELDERLY}|unknown age group 'ELDERLY'"})
    void invalidEntriesAreRefusedWithAMessageNamingTheProvider(String title, String line, String message) throws IOException {
        String entry = """
                  - id: shelter-dushanbe
                    services: [SHELTER]
                    regions: [DUSHANBE]
                    certificate: %s/shelter-dushanbe.crt
                """.formatted(CERTS);
        String key = line.substring(0, line.indexOf(':') + 1);
        entry = entry.contains("    " + key) ? entry.replaceAll("    " + key + ".*", "    " + line) : entry + "    " + line + "\n";
        Path file = registry(entry);

        assertThatThrownBy(() -> loader.load(file)).isInstanceOf(InvalidRegistryException.class)
                .hasMessageContaining("shelter-dushanbe").hasMessageContaining(message);
    }

    @Test
    void duplicateIdIsRefused() throws IOException {
        Path file = registry("""
                  - {id: shelter-dushanbe, services: [SHELTER], regions: [DUSHANBE], certificate: %1$s/shelter-dushanbe.crt}
                  - {id: shelter-dushanbe, services: [MEDICAL], regions: [DUSHANBE], certificate: %1$s/shelter-dushanbe.crt}
                """.formatted(CERTS));

        assertThatThrownBy(() -> loader.load(file)).hasMessageContaining("'shelter-dushanbe' is listed twice");
    }

    @Test
    void missingCertificateIsRefused() throws IOException {
        Path file = registry("""
                  - {id: shelter-dushanbe, services: [SHELTER], regions: [DUSHANBE], certificate: %s/nope.crt}
                """.formatted(CERTS));

        assertThatThrownBy(() -> loader.load(file)).hasMessageContaining("cannot be read");
    }

    @Test
    void certificateOfAnotherParticipantIsRefused() throws IOException {
        Path file = registry("""
                  - {id: shelter-dushanbe, services: [SHELTER], regions: [DUSHANBE], certificate: %s/medical-dushanbe.crt}
                """.formatted(CERTS));

        assertThatThrownBy(() -> loader.load(file)).hasMessageContaining("belongs to 'medical-dushanbe'");
    }

    @Test
    void registryWithoutCoordinatorIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("providers.yaml"), """
                providers:
                  - {id: shelter-dushanbe, services: [SHELTER], regions: [DUSHANBE], certificate: %s/shelter-dushanbe.crt}
                """.formatted(CERTS));

        assertThatThrownBy(() -> loader.load(file)).hasMessageContaining("must list the provider 'coordinator'");
    }

    @Test
    void anUnknownCodeIsRefusedNamingTheFileTheProviderAndTheValue() throws IOException {
        Path file = registry("  - {id: shelter-dushanbe, services: [SHELTER, ASTROLOGY], regions: [DUSHANBE], certificate: "
                + CERTS + "/shelter-dushanbe.crt}\n");

        assertThatThrownBy(() -> loader.load(file)).isInstanceOf(InvalidRegistryException.class)
                .hasMessage("Provider 'shelter-dushanbe' names unknown service 'ASTROLOGY' in " + file);
    }

    @Test
    void codesAreReadIntoTheSchemasEnumsAndNationalIsTheWholeCountry() {
        List<Provider> providers = loader.load(Path.of("routes/providers.yaml"));

        assertThat(providers).filteredOn(p -> p.id().equals("child-protection-national")).singleElement().satisfies(p -> {
            assertThat(p.services()).containsExactly(ServiceCode.CHILD_PROTECTION);
            assertThat(p.isNational()).isTrue();
            assertThat(p.regions()).isEmpty();
        });
        assertThat(providers).filteredOn(p -> p.id().equals("legal-aid-khujand")).singleElement().satisfies(p -> {
            assertThat(p.regions()).containsExactly(Region.SUGHD);
            assertThat(p.isNational()).isFalse();
        });
    }

    @Test
    void withAnotherCoordinatorIdAProviderCalledCoordinatorIsAnOrdinaryOne() throws IOException {
        ProviderRegistryLoader renamed = new ProviderRegistryLoader(
                new CertificateTrust(List.of(SampleKeys.ca()), Clock.systemUTC()), "national-coordinator");
        Path file = registry("");

        assertThatThrownBy(() -> renamed.load(file)).isInstanceOf(InvalidRegistryException.class)
                .hasMessageContaining("Provider 'coordinator' offers no service");
    }

    private Path registry(String entries) throws IOException {
        return Files.writeString(dir.resolve("providers.yaml"), "providers:\n" + entries
                + "  - {id: coordinator, services: [], regions: [NATIONAL], certificate: " + CERTS + "/coordinator.crt}\n");
    }
}
