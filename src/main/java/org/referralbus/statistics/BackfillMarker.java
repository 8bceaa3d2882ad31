package org.referralbus.statistics;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Owner of {@code facts_backfill}: how far {@link FactsBackfill} has checked. Every first-filed referral received
 * before {@link #checkedBefore()} has its facts or was found unreadable, so a later pass starts there instead of at
 * the first referral ever stored. The mark only moves forward, also when two nodes finish a pass at once.
 */
@Component
class BackfillMarker {

    private final JdbcTemplate jdbc;

    BackfillMarker(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Empty before the first completed pass (a new database, or one filed before this marker existed). */
    Optional<OffsetDateTime> checkedBefore() {
        return jdbc.query("SELECT checked_before FROM facts_backfill WHERE id = 1",
                (rs, i) -> rs.getObject(1, OffsetDateTime.class)).stream().findFirst();
    }

    void advanceTo(OffsetDateTime checkedBefore) {
        if (jdbc.update("UPDATE facts_backfill SET checked_before = ? WHERE id = 1 AND checked_before < ?",
                checkedBefore, checkedBefore) == 1 || checkedBefore().isPresent()) {
            return;
        }
        try {
            jdbc.update("INSERT INTO facts_backfill (id, checked_before) VALUES (1, ?)", checkedBefore);
        } catch (DuplicateKeyException another) {
            advanceTo(checkedBefore); // another node inserted the row meanwhile: move it forward if it is behind
        }
    }
}
