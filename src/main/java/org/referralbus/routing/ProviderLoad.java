package org.referralbus.routing;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Open cases per provider, read from the delivery table (so every bus instance sees the same load). A case counts
 * while its delivery is pending or accepted and younger than the capacity window; declined and escalated ones
 * free the place at once.
 */
@Component
class ProviderLoad {

    private final JdbcTemplate jdbc;
    private final RoutingProperties properties;
    private final Clock clock;

    ProviderLoad(JdbcTemplate jdbc, RoutingProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    Map<String, Integer> openCases() {
        Map<String, Integer> open = new HashMap<>();
        jdbc.query("SELECT provider_id, COUNT(DISTINCT referral_id) FROM delivery "
                        + "WHERE state IN ('SEALED', 'DELIVERED', 'FETCHED', 'ACCEPTED') AND created_at > ? GROUP BY provider_id",
                rs -> {
                    open.put(rs.getString(1), rs.getInt(2));
                }, OffsetDateTime.now(clock).minus(properties.capacityWindow()));
        return open;
    }
}
