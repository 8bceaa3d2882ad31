package org.referralbus.dedupe;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The person_key table: keyed hashes and the case they belong to. Never a name, never a referral id. */
@Component
class PersonKeyStore {

    private final JdbcTemplate jdbc;

    PersonKeyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** For each case holding any of the probes, the kinds of key it shares with them. */
    Map<String, Set<KeyKind>> agreeingByCase(Map<String, KeyKind> probes) {
        if (probes.isEmpty()) {
            return Map.of();
        }
        Map<String, Set<KeyKind>> byCase = new HashMap<>();
        String placeholders = String.join(",", Collections.nCopies(probes.size(), "?"));
        jdbc.query("SELECT key_hash, case_id FROM person_key WHERE key_hash IN (" + placeholders + ")",
                rs -> {
                    byCase.computeIfAbsent(rs.getString(2), c -> EnumSet.noneOf(KeyKind.class))
                            .add(probes.get(rs.getString(1).trim()));
                }, probes.keySet().toArray());
        return byCase;
    }

    /** Remembers the keys for the case, or refreshes them: the person window runs from the person's latest referral. */
    void remember(Set<String> keys, String caseId, OffsetDateTime now) {
        for (String key : keys) {
            if (jdbc.update("UPDATE person_key SET created_at = ? WHERE key_hash = ? AND case_id = ?", now, key, caseId) == 0) {
                try {
                    jdbc.update("INSERT INTO person_key (key_hash, case_id, created_at) VALUES (?, ?, ?)", key, caseId, now);
                } catch (DuplicateKeyException e) {
                    // another instance stored the same key for the same case a moment ago: nothing to add
                }
            }
        }
    }

    /** Forgets keys not refreshed since {@code before}; returns how many. */
    int forgetOlderThan(OffsetDateTime before) {
        return jdbc.update("DELETE FROM person_key WHERE created_at < ?", before);
    }
}
