package org.referralbus.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Brings PostgreSQL's planner statistics up to date before a measured phase ({@code VACUUM (ANALYZE)}), as autovacuum
 * does on a production server within a minute or so of a table growing. Without it the measured bus keeps the plans
 * its connections made while the tables were small: the server of the build machines runs with autovacuum off, and
 * there every new referral's look-up of its stored copies scanned the whole delivery table (session 30:
 * 18 000 rows read per referral in the empty bus's saturation phase). Running it whatever the setting keeps runs
 * comparable.
 */
final class PlannerStatistics {

    private PlannerStatistics() {
    }

    /** Vacuums and analyses the whole database; returns autovacuum's setting ({@code on} or {@code off}). */
    static String refresh(String url, String user, String password) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            String autovacuum;
            try (ResultSet rs = statement.executeQuery("SHOW autovacuum")) {
                rs.next();
                autovacuum = rs.getString(1);
            }
            statement.execute("VACUUM (ANALYZE)"); // autocommit: VACUUM cannot run inside a transaction
            return autovacuum;
        }
    }
}
