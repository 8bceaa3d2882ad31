package org.referralbus.support;

import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** A fresh in-memory H2 database with the bus's Flyway migrations applied: the real tables, without the application. */
public final class MigratedH2 {

    private MigratedH2() {
    }

    /** {@code name} only labels the database in errors; each call gets a database of its own. */
    public static DataSource fresh(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }
}
