package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.referralbus.support.ScratchPostgresDatabase;

class PlannerStatisticsTest {

    @Test
    void leavesEveryTableAnalysedAndVacuumed() throws Exception {
        Assumptions.assumeTrue(ScratchPostgresDatabase.reachable(), "no PostgreSQL on 127.0.0.1:5432 (start it to run this test)");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create();
             Connection connection = DriverManager.getConnection(database.url(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE delivery (delivery_id VARCHAR(36) PRIMARY KEY)");
            statement.execute("INSERT INTO delivery SELECT 'd' || g FROM generate_series(1, 1000) g");
            String setting;
            try (ResultSet rs = statement.executeQuery("SHOW autovacuum")) {
                rs.next();
                setting = rs.getString(1);
            }

            assertThat(PlannerStatistics.refresh(database.url(), "postgres", "")).isEqualTo(setting);

            try (ResultSet rs = statement.executeQuery("SELECT reltuples FROM pg_class WHERE relname = 'delivery'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the planner's row count, -1 before any ANALYZE").isEqualTo(1000);
            }
            try (ResultSet rs = statement.executeQuery(
                    "SELECT COUNT(*) FROM pg_stats WHERE tablename = 'delivery' AND attname = 'delivery_id'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("column statistics").isEqualTo(1);
            }
        }
    }
}
