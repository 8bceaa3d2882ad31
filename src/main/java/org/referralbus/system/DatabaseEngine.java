package org.referralbus.system;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/** Which database the bus's connections reach, as its JDBC driver names it: the start-up checks differ by engine. */
final class DatabaseEngine {

    static final String H2 = "H2";
    static final String POSTGRESQL = "PostgreSQL";

    private DatabaseEngine() {
    }

    static String of(JdbcTemplate jdbc) {
        return jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
    }
}
