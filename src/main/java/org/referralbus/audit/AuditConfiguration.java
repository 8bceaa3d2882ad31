package org.referralbus.audit;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.referralbus.envelope.EnvelopeSealer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.jdbc.core.JdbcTemplate;

/** Audit beans built from the bus's crypto beans (the command line builds its verifier from the certificate alone). */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    @Bean
    AuditCheckpoints auditCheckpoints(JdbcTemplate jdbc, @Qualifier("busSealer") EnvelopeSealer busSealer, Clock clock) {
        return new AuditCheckpoints(jdbc, busSealer, clock);
    }

    @Bean
    AuditMetrics auditMetrics(MeterRegistry registry) {
        return new AuditMetrics(registry);
    }

    @Bean
    AuditLag auditLag(JdbcTemplate jdbc, Clock clock, MeterRegistry registry) {
        return new AuditLag(jdbc, clock, registry);
    }

    @Bean
    TreeHeadAnchors treeHeadAnchors(AnchoringProperties anchoring) {
        return new TreeHeadAnchors(anchoring);
    }

    @Bean
    TreeHeads treeHeads(JdbcTemplate jdbc, @Qualifier("busSealer") EnvelopeSealer busSealer, Clock clock, TreeHeadAnchors anchors) {
        return new TreeHeads(jdbc, busSealer, clock, anchors);
    }

    @Bean
    AuditorAccounts auditorAccounts(JdbcTemplate jdbc, AuditTrail trail, Clock clock, AuditProperties properties,
                                    TotpEncryptionProperties totpEncryption, Environment environment) {
        return new AuditorAccounts(jdbc, trail, clock, properties.signIn().passwordChecks(),
                TotpSecrets.load(totpEncryption, environment.acceptsProfiles(Profiles.of("prod"))));
    }

    @Bean
    SignInThrottle signInThrottle(AuditProperties properties, Clock clock) {
        return new SignInThrottle(properties.signIn(), clock);
    }

    @Bean
    AuditChainVerifier auditChainVerifier(JdbcTemplate jdbc, BusSignatures busSignatures, TreeHeadAnchors anchors) {
        return new AuditChainVerifier(jdbc, busSignatures, anchors);
    }
}
