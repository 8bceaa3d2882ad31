package org.referralbus.system;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Warns once the bus serves when it runs on a PostgreSQL whose autovacuum is off, for the server or for some of the
 * bus's tables ({@code autovacuum_enabled = false}). Then nothing refreshes the planner's statistics, and each
 * connection keeps the plans it made while the tables were small: on such a server (the build machines') every new
 * referral's look-up of its stored copies scanned the whole delivery table, and with 200 000 referrals stored the
 * look-ups of a case's earlier referrals read hundreds of index pages each (docs/performance.md). A warning, not a
 * refusal: a database administrator may run {@code ANALYZE} on a schedule instead.
 */
@Component
class AutovacuumCheck {

    private static final Logger log = LoggerFactory.getLogger(AutovacuumCheck.class);

    private final JdbcTemplate jdbc;

    AutovacuumCheck(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnIfOff() {
        if (DatabaseEngine.POSTGRESQL.equals(DatabaseEngine.of(jdbc))) {
            warning(jdbc.queryForObject("SHOW autovacuum", String.class), tablesWithoutAutovacuum()).ifPresent(log::warn);
        }
    }

    /** The bus's tables (those of the connection's schema) for which autovacuum is switched off one by one. */
    List<String> tablesWithoutAutovacuum() {
        return jdbc.queryForList("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = current_schema() AND c.relkind = 'r' "
                + "AND c.reloptions @> ARRAY['autovacuum_enabled=false'] ORDER BY c.relname", String.class);
    }

    /** The warning for PostgreSQL's {@code autovacuum} setting and the tables that opt out, if they deserve one. */
    static Optional<String> warning(String autovacuum, List<String> tablesWithout) {
        if ("off".equals(autovacuum.toLowerCase(Locale.ROOT))) {
            return Optional.of("PostgreSQL's autovacuum is off: nothing keeps the planner's statistics current, so queries "
                    + "planned while the bus's tables were small stay slow as they grow. Turn it on (autovacuum = on, "
                    + "PostgreSQL's default), or run ANALYZE on the bus's database regularly");
        }
        if (!tablesWithout.isEmpty()) {
            return Optional.of("PostgreSQL's autovacuum is off for the tables " + String.join(", ", tablesWithout)
                    + " (autovacuum_enabled = false): nothing keeps their planner's statistics current, so queries "
                    + "planned while they were small stay slow as they grow. Turn it back on (ALTER TABLE <table> RESET "
                    + "(autovacuum_enabled)), or run ANALYZE on them regularly");
        }
        return Optional.empty();
    }
}
