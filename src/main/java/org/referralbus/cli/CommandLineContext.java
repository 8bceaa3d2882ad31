package org.referralbus.cli;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.referralbus.audit.AnchoringProperties;
import org.referralbus.audit.AuditChainVerifier;
import org.referralbus.audit.BusSignatures;
import org.referralbus.audit.TotpEncryptionProperties;
import org.referralbus.audit.TotpSecrets;
import org.referralbus.audit.TreeHeadAnchors;
import org.referralbus.audit.AuditProperties;
import org.referralbus.audit.AuditTrail;
import org.referralbus.audit.AuditorAccounts;
import org.referralbus.system.BusIdentityProperties;
import org.referralbus.system.BusKeyLoader;
import org.referralbus.system.WrittenCommitsConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The smallest context a subcommand needs: the configured database (migrated by Flyway only for commands that
 * write) and the audit beans.
 * No web server, no broker, no Camel, no bus private key. Deliberately not a {@code @Configuration}, so the
 * running bus's component scan never picks it up.
 */
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        JdbcTemplateAutoConfiguration.class, TransactionAutoConfiguration.class, FlywayAutoConfiguration.class})
@EnableConfigurationProperties({BusIdentityProperties.class, AuditProperties.class, AnchoringProperties.class,
        TotpEncryptionProperties.class})
@Import({AuditTrail.class, WrittenCommitsConfiguration.class})
class CommandLineContext {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AuditChainVerifier auditChainVerifier(JdbcTemplate jdbc, BusIdentityProperties identity, AnchoringProperties anchoring) {
        // The bus's configuration as it is, keystore included: the certificate only, the key is never read.
        X509Certificate busCertificate = BusKeyLoader.certificate(identity.current());
        List<X509Certificate> inForce = identity.previous() == null ? List.of(busCertificate)
                : List.of(busCertificate, BusKeyLoader.certificate(identity.previous()));
        return new AuditChainVerifier(jdbc, new BusSignatures(BusKeyLoader.withRetired(inForce, identity)),
                new TreeHeadAnchors(anchoring));
    }

    /** Lazy: made only by the subcommands that manage accounts, so `audit verify` on a database with no trail stays read-only. */
    @Bean
    @Lazy
    AuditorAccounts auditorAccounts(JdbcTemplate jdbc, AuditTrail trail, Clock clock, TotpEncryptionProperties totpEncryption,
                                    Environment environment) {
        return new AuditorAccounts(jdbc, trail, clock,
                TotpSecrets.load(totpEncryption, environment.acceptsProfiles(Profiles.of("prod"))));
    }
}
