package org.referralbus.dedupe;

import java.security.SecureRandom;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Person keys under the configured secret, and the periodic purge of what the windows let the bus forget. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class DedupeConfiguration {

    @Bean
    PersonKeyScheme personKeyScheme(DedupeProperties properties, Environment environment) {
        return new PersonKeyScheme(PersonKeySecret.load(properties, environment));
    }

    /** Random bits from a secure source: an attacker must not predict which bits are noise. */
    @Bean
    PersonEncoders personEncoders(DedupeProperties properties, Environment environment) {
        byte[] previous = PersonKeySecret.loadPrevious(properties, environment);
        SecureRandom random = new SecureRandom();
        return new PersonEncoders(
                new PersonEncoder(PersonKeySecret.load(properties, environment), PersonEncoder.Hardening.CHOSEN, random),
                previous == null ? null : new PersonEncoder(previous, PersonEncoder.Hardening.CHOSEN, random));
    }

    @Bean
    PersonLinker personLinker(PersonEncoders encoders, PersonEncodingStore encodings, PersonKeyScheme legacyScheme,
                              PersonKeyStore legacyKeys) {
        return new PersonLinker(encoders, encodings, legacyScheme, legacyKeys);
    }

    /** First run one interval after start-up, so a restart does not purge (and audit) at once. */
    @Bean
    SchedulingConfigurer dedupePurgeSchedule(DedupePurge purge, DedupeProperties properties) {
        return (ScheduledTaskRegistrar registrar) -> registrar.addFixedDelayTask(
                new FixedDelayTask(purge::purgeExpired, properties.purgeInterval(), properties.purgeInterval()));
    }
}
