package org.referralbus.statistics;

import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Owner of {@code statistics_release}: the released cells' predicates per grid period (codes, never counts). */
@Component
class StatisticsReleases implements Releases {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    StatisticsReleases(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public List<Release> of(Granularity grid, LocalDate periodStart) {
        return jdbc.query("SELECT predicate, published FROM statistics_release WHERE grid = ? AND period_start = ?",
                (rs, i) -> new Release(rs.getString(1), rs.getBoolean(2)), grid.name(), Date.valueOf(periodStart));
    }

    @Override
    public void add(Granularity grid, LocalDate periodStart, Collection<Release> releases) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        List<Object[]> rows = new ArrayList<>();
        for (Release release : releases) {
            rows.add(new Object[] {grid.name(), Date.valueOf(periodStart), release.predicate(), release.published(), now,
                    grid.name(), Date.valueOf(periodStart), release.predicate()});
        }
        jdbc.batchUpdate("INSERT INTO statistics_release (grid, period_start, predicate, published, released_at) "
                + "SELECT ?, ?, ?, ?, ? FROM (VALUES (1)) t WHERE NOT EXISTS (SELECT 1 FROM statistics_release "
                + "WHERE grid = ? AND period_start = ? AND predicate = ?)", rows);
    }
}
