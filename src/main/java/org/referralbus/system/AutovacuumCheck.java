package org.referralbus.system;

import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Warns once the bus serves when it runs on a PostgreSQL whose autovacuum is off. Then nothing refreshes the planner's
 * statistics, and each connection keeps the plans it made while the tables were small: on such a server (the build
 * machines') every new referral's look-up of its stored copies scanned the whole delivery table, and with 200 000
 * referrals stored the look-ups of a case's earlier referrals read hundreds of index pages each (docs/performance.md).
 * A warning, not a refusal: a database administrator may run {@code ANALYZE} on a schedule instead.
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
        String engine = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        if ("PostgreSQL".equals(engine)) {
            warning(jdbc.queryForObject("SHOW autovacuum", String.class)).ifPresent(log::warn);
        }
    }

    /** The warning for PostgreSQL's {@code autovacuum} setting, if it deserves one. */
    static Optional<String> warning(String autovacuum) {
        if (!"off".equals(autovacuum.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of("PostgreSQL's autovacuum is off: nothing keeps the planner's statistics current, so queries "
                + "planned while the bus's tables were small stay slow as they grow. Turn it on (autovacuum = on, "
                + "PostgreSQL's default), or run ANALYZE on the bus's database regularly");
    }
}
