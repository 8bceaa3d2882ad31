package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.referralbus.support.LogCapture;
import org.referralbus.support.ScratchPostgresDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class AutovacuumCheckTest {

    @Test
    void warnsOnlyWhenAutovacuumIsOff() {
        assertThat(AutovacuumCheck.warning("off")).hasValueSatisfying(w -> assertThat(w)
                .startsWith("PostgreSQL's autovacuum is off: ")
                .contains("Turn it on (autovacuum = on, PostgreSQL's default), or run ANALYZE"));
        assertThat(AutovacuumCheck.warning("OFF")).isPresent();
        assertThat(AutovacuumCheck.warning("on")).isEmpty();
    }

    @Test
    void readsTheServersSettingOnPostgres() throws Exception {
        assumeTrue(ScratchPostgresDatabase.reachable(), "no PostgreSQL on 127.0.0.1:5432 (start it to run this test)");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create()) {
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(database.url(), "postgres", ""));
            String setting = jdbc.queryForObject("SHOW autovacuum", String.class);
            assertThat(setting).isIn("on", "off");
            try (LogCapture log = LogCapture.start()) {
                new AutovacuumCheck(jdbc).warnIfOff();
                assertThat(log.lines("autovacuum is off")).hasSize(setting.equals("off") ? 1 : 0);
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
