package org.referralbus.support;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fresh database {@code referralbus_it_<random>} on the local PostgreSQL (127.0.0.1:5432, user postgres, trust
 * auth; {@code .ci/run} starts a stopped cluster), dropped on close.
 */
public final class ScratchPostgresDatabase implements AutoCloseable {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    private final String name;

    private ScratchPostgresDatabase(String name) {
        this.name = name;
    }

    public static boolean reachable() {
        DriverManager.setLoginTimeout(3);
        try (Connection ignored = DriverManager.getConnection(SERVER + "postgres", "postgres", "")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    public static ScratchPostgresDatabase create() throws SQLException {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        ScratchPostgresDatabase database = new ScratchPostgresDatabase("referralbus_it_" + HexFormat.of().formatHex(random));
        admin("CREATE DATABASE " + database.name);
        return database;
    }

    public String url() {
        return SERVER + name;
    }

    /** This database with the bus's Flyway migrations applied: the real tables, without the application. */
    public DataSource migrated() {
        DataSource dataSource = new DriverManagerDataSource(url(), "postgres", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }

    /** Spring arguments that point a bus at this database. */
    public String[] busArguments() {
        return new String[] {"--spring.datasource.url=" + url(), "--spring.datasource.username=postgres",
                "--spring.datasource.password="};
    }

    /** Runs a statement as the server's administrator, e.g. {@code ALTER DATABASE <name> SET ...}. */
    public void alterDatabase(String setting) throws SQLException {
        admin("ALTER DATABASE " + name + " " + setting);
    }

    @Override
    public void close() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
