package org.referralbus.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.mockito.Mockito;
import org.referralbus.audit.AuditTrail;
import org.referralbus.intake.IntakeProperties;
import org.referralbus.participants.AgencyRegistry;
import org.referralbus.participants.OversightRegistry;
import org.referralbus.participants.ParticipantAuthentication;
import org.referralbus.participants.ParticipantRegister;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.participants.RegistryBinding;
import org.referralbus.participants.RevocationLists;
import org.referralbus.support.SampleKeys;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * For {@code @WebMvcTest} slices of the API controllers: the real mutual-TLS security chain
 * ({@link SecurityConfiguration}, {@link ParticipantAuthentication}, the problem responses of its entry points),
 * so that MockMvc's {@code x509(certificate)} post-processor authenticates a request exactly as Tomcat's client
 * certificate does in the running bus. The participant comes from the certificate's names, agencies must be in
 * {@code routes/agencies.yaml}, nothing is revoked, and the rate limit is off (it has its own unit test).
 * The audit trail behind the rate-limit filter is a mock; a test that checks audit rows declares its own
 * {@code @MockitoBean AuditTrail}, which replaces this one. {@link ProblemDetailsAdvice} needs no import: a
 * {@code @WebMvcTest} slice picks up every {@code @ControllerAdvice}.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({SecurityConfiguration.class, ProblemResponses.class, ParticipantAuthentication.class, CertificateRefusals.class,
        ClientAddressLimit.class, AddressLimitOffForSlices.class, EndpointsAtPath.class})
public class ApiSecurityForSlices {

    @Bean
    RevocationLists revocationLists() {
        return new RevocationLists(List.of(), List.of(SampleKeys.ca()), Duration.ofMinutes(1), Clock.systemUTC());
    }

    @Bean
    AgencyRegistry agencyRegistry() {
        return AgencyRegistry.load(Path.of("routes/agencies.yaml"));
    }

    @Bean
    OversightRegistry oversightRegistry() {
        return OversightRegistry.load(Path.of("routes/oversight.yaml"));
    }

    /** Providers as the sample registry lists them: each with its certificate from {@code keys-sample/providers}. */
    @Bean
    ParticipantRegister sampleProviders() {
        return identity -> {
            Path certificate = SampleKeys.certificate("providers", identity.id());
            return identity.role() == ParticipantRole.PROVIDER && Files.exists(certificate)
                    ? List.of(SampleKeys.certificateOf("providers", identity.id())) : List.of();
        };
    }

    @Bean
    RegistryBinding registryBinding(List<ParticipantRegister> registers) {
        return new RegistryBinding(registers);
    }

    @Bean
    ParticipantRateLimiter participantRateLimiter() {
        return new ParticipantRateLimiter(new IntakeProperties.RateLimit(false, 1, 1), System::nanoTime);
    }

    @Bean
    AuditTrail auditTrail() {
        return Mockito.mock(AuditTrail.class);
    }
}
