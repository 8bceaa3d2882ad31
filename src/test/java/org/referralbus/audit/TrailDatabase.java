package org.referralbus.audit;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.PemFiles;
import org.referralbus.support.SampleKeys;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;


/** A migrated H2 file database with the audit beans wired by hand: fast, and free to be tampered with. */
final class TrailDatabase implements AutoCloseable {

    /** The audit settings of the default configuration. */
    static final AuditProperties PROPERTIES = new AuditProperties(Duration.ofMinutes(10), Duration.ofHours(24),
            Duration.ofMinutes(1), new AuditProperties.SignInLimits(3, 10, 10, 30, Duration.ofMinutes(15), 1), "referral-bus");

    final HikariDataSource dataSource;
    final JdbcTemplate jdbc;
    final AuditTrail trail;
    final AuditCheckpoints checkpoints;
    final AuditChainVerifier verifier;
    final TreeHeads treeHeads;

    TrailDatabase(Path dataDir) {
        this(jdbcUrl(dataDir));
    }

    /** With tree heads anchored as {@code anchoring} says. */
    TrailDatabase(Path dataDir, AnchoringProperties anchoring) {
        this(jdbcUrl(dataDir), "sa", null, anchoring);
    }

    TrailDatabase(String url) {
        this(url, "sa", null);
    }

    TrailDatabase(String url, String user, String schema) {
        this(url, user, schema, AnchoringProperties.none());
    }

    /** {@code schema}: a fresh schema Flyway creates and migrates (PostgreSQL tests), or null for the default one. */
    TrailDatabase(String url, String user, String schema, AnchoringProperties anchoring) {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(user);
        dataSource.setPassword("");
        dataSource.setMaximumPoolSize(4);
        if (schema != null) {
            dataSource.setSchema(schema);
        }
        var flyway = Flyway.configure().dataSource(dataSource);
        if (schema != null) {
            flyway.schemas(schema).createSchemas(true);
        }
        flyway.load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        Clock clock = Clock.systemUTC();
        trail = new AuditTrail(jdbc, new DataSourceTransactionManager(dataSource), PROPERTIES, clock);
        EnvelopeSealer busSealer = new EnvelopeSealer(SampleKeys.privateKey("bus", "bus"), SampleKeys.busCertificate());
        checkpoints = new AuditCheckpoints(jdbc, busSealer, clock);
        TreeHeadAnchors anchors = new TreeHeadAnchors(anchoring);
        verifier = new AuditChainVerifier(jdbc, PemFiles.readCertificate(SampleKeys.certificate("bus", "bus")), anchors);
        treeHeads = new TreeHeads(jdbc, busSealer, clock, anchors);
    }

    /** The URL the bus and the command line use for {@code --referral-bus.data-dir=dataDir}. */
    static String jdbcUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir + "/db/referral-bus;DB_CLOSE_ON_EXIT=FALSE";
    }

    void recordEvents(int count) {
        recordEvents(count, "border-service");
    }

    void recordEvents(int count, String actor) {
        for (int i = 0; i < count; i++) {
            trail.record(AuditEvent.of(AuditEventType.ROUTED, java.util.UUID.randomUUID().toString(), actor)
                    .withCounterpart("shelter-dushanbe").withDetail("regional:SHELTER"));
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
