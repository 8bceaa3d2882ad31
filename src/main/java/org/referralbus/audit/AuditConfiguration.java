package org.referralbus.audit;

import java.security.cert.X509Certificate;
import java.time.Clock;
import org.referralbus.envelope.EnvelopeSealer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Audit beans built from the bus's crypto beans (the command line builds its verifier from the certificate alone). */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    @Bean
    AuditCheckpoints auditCheckpoints(JdbcTemplate jdbc, @Qualifier("busSealer") EnvelopeSealer busSealer, Clock clock) {
        return new AuditCheckpoints(jdbc, busSealer, clock);
    }

    @Bean
    AuditorAccounts auditorAccounts(JdbcTemplate jdbc, AuditTrail trail, Clock clock, AuditProperties properties) {
        return new AuditorAccounts(jdbc, trail, clock, properties.signIn().passwordChecks());
    }

    @Bean
    SignInThrottle signInThrottle(AuditProperties properties, Clock clock) {
        return new SignInThrottle(properties.signIn(), clock);
    }

    @Bean
    AuditChainVerifier auditChainVerifier(JdbcTemplate jdbc, @Qualifier("busCertificate") X509Certificate busCertificate) {
        return new AuditChainVerifier(jdbc, busCertificate);
    }
}
