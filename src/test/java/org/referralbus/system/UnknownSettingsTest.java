package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The one check of setting names, for the bus's start and the commands' arguments: Spring's relaxed names, no more. */
class UnknownSettingsTest {

    @Test
    void nestedRecordsListsAndPlaceholderOnlySettingsAreRead() {
        for (String name : new String[] {"referral-bus.audit.sign-in.lock-for", "referral-bus.identity.previous.keystore",
                "referral-bus.intake.replay-window.past", "referral-bus.tls.ciphers[0]", "referral-bus.tls.ciphers",
                "referral-bus.data-dir", "referral-bus.home", "referral-bus.metrics.queue-depth-interval"}) {
            assertThat(UnknownSettings.argument(name)).as(name).isEmpty();
        }
    }

    @Test
    void relaxedFormsSpringBindsAreRead() {
        for (String name : new String[] {"referral-bus.intake.rateLimit.enabled", "referral-bus.intake.rate_limit.enabled",
                "referral-bus.dataDir", "REFERRAL-BUS.STATISTICS.K"}) {
            assertThat(UnknownSettings.argument(name)).as(name).isEmpty();
        }
        assertThat(in(variables("REFERRAL_BUS_INTAKE_RATE_LIMIT_ENABLED", "REFERRALBUS_INTAKE_RATELIMIT_ENABLED",
                "REFERRAL_BUS_STATISTICS_K", "REFERRAL_BUS_TLS_CIPHERS_0", "REFERRAL_BUS"))).isEmpty();
    }

    @Test
    void aMapsKeysAreFree() {
        SettingNames names = new SettingNames(Map.of("referral-bus.example.per-participant",
                "java.util.Map<java.lang.String,java.lang.Integer>", "referral-bus.example.k", "java.lang.Integer"));

        assertThat(names.reads(one("referral-bus.example.per-participant.ngo-hotline"))).isTrue();
        assertThat(names.reads(one("referral-bus.example.k.ngo-hotline"))).isFalse();
    }

    @Test
    void aTypoIsRefusedWithTheNameItIsASlipOf() {
        assertThat(UnknownSettings.argument("referral-bus.statistics.kk")).get()
                .extracting(UnknownSetting::sentence)
                .isEqualTo("referral-bus.statistics.kk is not a setting of the bus and would be ignored; did you mean referral-bus.statistics.k?");
        assertThat(UnknownSettings.argument("referral-bus.intake.rate-limit.enabld").flatMap(UnknownSetting::nearest))
                .contains("referral-bus.intake.rate-limit.enabled");
        assertThat(UnknownSettings.argument("referral-bus.retention.keep-for")).get()
                .extracting(UnknownSetting::nearest).isEqualTo(Optional.empty());
        assertThat(UnknownSettings.argument("referral-bus.metrics.queue-depth-intervall")).isPresent();
    }

    @Test
    void anEnvironmentVariableSpringWouldNotBindIsRefusedWithTheVariableToUse() {
        assertThat(in(variables("REFERRAL_BUS_STATISTICS_KK"))).get().extracting(UnknownSetting::sentence)
                .isEqualTo("REFERRAL_BUS_STATISTICS_KK (an environment variable) is not a setting of the bus and would be ignored;"
                        + " did you mean referral-bus.statistics.k (REFERRAL_BUS_STATISTICS_K)?");
        // Spring reads REFERRAL_BUS_INTAKE_RATE_LIMIT_ENABLED or REFERRALBUS_INTAKE_RATELIMIT_ENABLED, not this mixture.
        assertThat(in(variables("REFERRAL_BUS_INTAKE_RATELIMIT_ENABLED")).flatMap(UnknownSetting::nearest))
                .contains("referral-bus.intake.rate-limit.enabled");
    }

    @Test
    void aVariableThatAPlaceholderNamesIsRead() {
        StandardEnvironment environment = variables("REFERRAL_BUS_DB_PASSWORD");
        assertThat(in(environment)).isPresent();

        environment.getPropertySources().addFirst(new MapPropertySource("the operator's referral-bus.yaml",
                Map.of("spring.datasource.password", "${REFERRAL_BUS_DB_PASSWORD}")));
        assertThat(in(environment)).isEmpty();
    }

    @Test
    void theVariablesThePackagedProfilesReadAreReadWithoutTheirProfile() {
        assertThat(in(variables("REFERRAL_BUS_KEYSTORE_PASSWORD"))).isEmpty();
    }

    @Test
    void otherSettingsAreNotTheBussToJudge() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("x", Map.of("spring.datasource.url", "jdbc:h2:mem:x",
                "camel.main.name", "referral-bus", "referral-busy.k", "1")));
        assertThat(in(environment)).isEmpty();
    }

    private static Optional<UnknownSetting> in(StandardEnvironment environment) {
        return UnknownSettings.in(environment);
    }

    /** An environment whose only variables are these (the machine's own are not this test's). */
    private static StandardEnvironment variables(String... names) {
        Map<String, Object> variables = new LinkedHashMap<>();
        for (String name : names) {
            variables.put(name, "x");
        }
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return environment;
    }

    private static ConfigurationPropertySource one(String name) {
        return ConfigurationPropertySource.from(new MapPropertySource("one", Map.of(name, "x")));
    }
}
