package org.referralbus.support;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A fresh database of either kind the bus runs on, migrated up to a chosen version, then on: for tests of what a
 * migration does to rows stored before it. H2 in a file under the test's folder; PostgreSQL at 127.0.0.1:5432/test in
 * a schema of its own, dropped on close (a case on PostgreSQL is skipped when none is running).
 */
public final class UpgradedDatabase implements AutoCloseable {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String kind;
    private final String schema;
    private final HikariDataSource dataSource = new HikariDataSource();

    /** @param kind {@code h2} or {@code postgresql}; {@code dataDir} holds the H2 file */
    public UpgradedDatabase(String kind, Path dataDir, String schemaPrefix) {
        this.kind = kind;
        this.schema = schemaPrefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (isPostgres()) {
            Assumptions.assumeTrue(reachable(), "no PostgreSQL at " + POSTGRES + " (start it to run this case)");
            dataSource.setJdbcUrl(POSTGRES);
            dataSource.setUsername("postgres");
            dataSource.setSchema(schema);
        } else {
            dataSource.setJdbcUrl("jdbc:h2:file:" + dataDir + "/db/referral-bus");
            dataSource.setUsername("sa");
        }
        dataSource.setPassword("");
    }

    /** Migrates up to {@code target} (null: the newest version) and returns the database. */
    public JdbcTemplate migratedTo(String target) {
        var flyway = Flyway.configure().dataSource(dataSource);
        if (isPostgres()) {
            flyway.schemas(schema).createSchemas(true);
        }
        if (target != null) {
            flyway.target(target);
        }
        flyway.load().migrate();
        return new JdbcTemplate(dataSource);
    }

    @Override
    public void close() throws Exception {
        dataSource.close();
        if (isPostgres() && reachable()) {
            try (var connection = DriverManager.getConnection(POSTGRES, "postgres", "")) {
                connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private boolean isPostgres() {
        return kind.equals("postgresql");
    }

    private static boolean reachable() {
        try (var connection = DriverManager.getConnection(POSTGRES, "postgres", "")) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }
}
