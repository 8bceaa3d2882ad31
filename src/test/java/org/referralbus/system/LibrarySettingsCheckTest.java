package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The libraries' names, as Spring Boot's, Camel's and the actuator's metadata list them; only what the operator wrote. */
class LibrarySettingsCheckTest {

    @Test
    void aMisspeltLibrarySettingOnTheCommandLineIsNamedWithTheSettingItIsASlipOf() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource("--spring.artemis.mdoe=native",
                "--server.port=0", "--logging.level.org.apache.coyote=DEBUG", "--camel.main.routes-include-pattern=file:routes/*.yaml",
                "--management.endpoints.web.exposure.include=health", "--spring.datasource.hikari.maximum-pool-size=5",
                "--spring.artemis.embedded.persistent=true", "--server.tomcat.threads.max=64", "--spring.profiles.active=prod",
                "--spring.config.additional-location=file:/etc/referral-bus/", "--referral-bus.statistics.k=20"));

        assertThat(LibrarySettingsCheck.ignoredIn(environment)).containsExactly("spring.artemis.mdoe (the command line) is not"
                + " a setting of the bus or of the libraries it runs on, and is ignored; did you mean spring.artemis.mode?"
                + " (docs/operators.md, 'Configuration')");
    }

    @Test
    void anOperatorsFileAndSystemPropertiesAreLookedAt() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource(
                "Config resource 'file [/etc/referral-bus/referral-bus.yaml]' via location 'file:/etc/referral-bus/'",
                Map.of("spring.datasource.urll", "jdbc:postgresql://db/referral_bus")));
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, new MapPropertySource(
                StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of("server.shutdwon", "graceful", "java.version", "17")));

        assertThat(LibrarySettingsCheck.ignoredIn(environment)).satisfiesExactlyInAnyOrder(
                sentence -> assertThat(sentence).startsWith("spring.datasource.urll (property source 'Config resource 'file"
                        + " [/etc/referral-bus/referral-bus.yaml]'").contains("did you mean spring.datasource.url?"),
                sentence -> assertThat(sentence).startsWith("server.shutdwon (a -D system property) is not a setting")
                        .contains("did you mean server.shutdown?"));
    }

    @Test
    void thePackagedDefaultsAndTheShellsVariablesAreNotLookedAt() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource(
                "Config resource 'class path resource [application.yaml]' via location 'optional:classpath:/'",
                Map.of("spring.artemis.mdoe", "native")));
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("SERVER_NAME", "office-pc", "SPRING_ARTEMIS_MDOE", "native")));
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of()));

        assertThat(LibrarySettingsCheck.ignoredIn(environment)).isEmpty();
    }
}
