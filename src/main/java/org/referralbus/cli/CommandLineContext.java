package org.referralbus.cli;

import java.security.cert.X509Certificate;
import java.time.Clock;
import org.referralbus.audit.AuditChainVerifier;
import org.referralbus.audit.AuditProperties;
import org.referralbus.audit.AuditTrail;
import org.referralbus.audit.AuditorAccounts;
import org.referralbus.envelope.PemFiles;
import org.referralbus.system.BusIdentityProperties;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The smallest context a subcommand needs: the configured database (migrated by Flyway) and the audit beans.
 * No web server, no broker, no Camel, no bus private key. Deliberately not a {@code @Configuration}, so the
 * running bus's component scan never picks it up.
 */
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class, FlywayAutoConfiguration.class})
@EnableConfigurationProperties({BusIdentityProperties.class, AuditProperties.class})
@Import(AuditTrail.class)
class CommandLineContext {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AuditChainVerifier auditChainVerifier(JdbcTemplate jdbc, BusIdentityProperties identity) {
        X509Certificate busCertificate = PemFiles.readCertificate(identity.certificate());
        return new AuditChainVerifier(jdbc, busCertificate);
    }

    @Bean
    AuditorAccounts auditorAccounts(JdbcTemplate jdbc, AuditTrail trail, Clock clock) {
        return new AuditorAccounts(jdbc, trail, clock);
    }
}
