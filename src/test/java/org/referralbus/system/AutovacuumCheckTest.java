package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.referralbus.support.LogCapture;
import org.referralbus.support.ScratchPostgresDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class AutovacuumCheckTest {

    @Test
    void warnsWhenTheServerOrATableHasAutovacuumOff() {
        assertThat(AutovacuumCheck.warning("off", List.of())).hasValueSatisfying(w -> assertThat(w)
                .startsWith("PostgreSQL's autovacuum is off: ")
                .contains("Turn it on (autovacuum = on, PostgreSQL's default), or run ANALYZE"));
        assertThat(AutovacuumCheck.warning("OFF", List.of())).isPresent();
        assertThat(AutovacuumCheck.warning("on", List.of("delivery", "referral"))).hasValueSatisfying(w -> assertThat(w)
                .startsWith("PostgreSQL's autovacuum is off for the tables delivery, referral (autovacuum_enabled = false): ")
                .contains("ALTER TABLE <table> RESET (autovacuum_enabled)"));
        assertThat(AutovacuumCheck.warning("on", List.of())).isEmpty();
    }

    @Test
    void readsTheServersSettingAndTheTablesThatOptOut() throws Exception {
        assumeTrue(ScratchPostgresDatabase.reachable(), "no PostgreSQL on 127.0.0.1:5432 (start it to run this test)");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create()) {
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(database.url(), "postgres", ""));
            jdbc.execute("CREATE TABLE delivery (delivery_id VARCHAR(36) PRIMARY KEY)");
            jdbc.execute("CREATE TABLE referral (referral_id VARCHAR(36) PRIMARY KEY)");
            String setting = jdbc.queryForObject("SHOW autovacuum", String.class);
            assertThat(setting).isIn("on", "off");
            boolean serverOff = setting.equals("off");

            try (LogCapture log = LogCapture.start()) {
                new AutovacuumCheck(jdbc).warnIfOff();
                assertThat(log.lines("autovacuum is off")).hasSize(serverOff ? 1 : 0);
            }

            assertThat(new AutovacuumCheck(jdbc).tablesWithoutAutovacuum()).isEmpty();
            jdbc.execute("ALTER TABLE delivery SET (autovacuum_enabled = false)");
            assertThat(new AutovacuumCheck(jdbc).tablesWithoutAutovacuum()).containsExactly("delivery");
            try (LogCapture log = LogCapture.start()) {
                new AutovacuumCheck(jdbc).warnIfOff();
                // The server's setting, when off, says it all; else the table that opts out is named.
                assertThat(log.lines(serverOff ? "PostgreSQL's autovacuum is off: " : "autovacuum is off for the tables delivery ("))
                        .hasSize(1);
            }
        }
    }

    @Test
    void asksNothingOfH2() {
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:mem:autovacuum-check", "sa", ""));
        try (LogCapture log = LogCapture.start()) {
            new AutovacuumCheck(jdbc).warnIfOff(); // H2 has no autovacuum setting: asked, it would fail
            assertThat(log.lines("autovacuum")).isEmpty();
        }
    }
}
