package org.referralbus.participants;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the agency and oversight registries once at start-up; a wrong file stops the bus. */
@Configuration(proxyBeanMethods = false)
class ParticipantRegistryConfiguration {

    @Bean
    AgencyRegistry agencyRegistry(ParticipantRegistryProperties properties) {
        return AgencyRegistry.load(properties.agencies());
    }

    @Bean
    OversightRegistry oversightRegistry(OversightRegistryProperties properties) {
        return OversightRegistry.load(properties.oversight());
    }
}
