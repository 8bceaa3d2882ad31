package org.referralbus.audit;

import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway schema on the local PostgreSQL (127.0.0.1:5432/test, user postgres, trust auth) for the trail's tests on
 * the production database, dropped on close. A test that asks for one is skipped when no PostgreSQL is reachable.
 */
final class ThrowawayPostgresSchema implements AutoCloseable {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String name;

    private ThrowawayPostgresSchema(String name) {
        this.name = name;
    }

    /** A fresh schema name starting with {@code prefix}; the calling test is skipped without a PostgreSQL. */
    static ThrowawayPostgresSchema named(String prefix) {
        Assumptions.assumeTrue(reachable(), "no PostgreSQL at " + URL + " (start it to run this test)");
        return new ThrowawayPostgresSchema(prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    /** A trail in this schema (migrated on first open); several may share it, as instances of one bus do. */
    TrailDatabase open() {
        return new TrailDatabase(URL, "postgres", name);
    }

    @Override
    public void close() throws Exception {
        try (var connection = DriverManager.getConnection(URL, "postgres", "")) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }

    private static boolean reachable() {
        try (var connection = DriverManager.getConnection(URL, "postgres", "")) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }
}
