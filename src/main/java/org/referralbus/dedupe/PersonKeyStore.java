package org.referralbus.dedupe;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The person_key table: keyed hashes and the case they belong to. Never a name, never a referral id. */
@Component
class PersonKeyStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    PersonKeyStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
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

    /**
     * Remembers the keys for the case, or refreshes them: the person window runs from the person's latest referral.
     * One transaction of three statements (which are there, refresh those, insert the rest), not two per key. If
     * another instance inserts the same key for the same case meanwhile, that transaction fails whole and the keys
     * are stored one by one, skipping the ones already there.
     */
    void remember(Set<String> keys, String caseId, OffsetDateTime now) {
        if (keys.isEmpty()) {
            return;
        }
        try {
            transaction.executeWithoutResult(status -> rememberAll(keys, caseId, now));
        } catch (DuplicateKeyException e) {
            rememberOneByOne(keys, caseId, now);
        }
    }

    private void rememberAll(Set<String> keys, String caseId, OffsetDateTime now) {
        List<Object> arguments = new ArrayList<>(keys);
        arguments.add(caseId);
        Set<String> present = new HashSet<>();
        jdbc.query("SELECT key_hash FROM person_key WHERE key_hash IN (" + String.join(",", Collections.nCopies(keys.size(), "?"))
                + ") AND case_id = ?", rs -> {
                    present.add(rs.getString(1).trim());
                }, arguments.toArray());
        List<Object[]> refresh = new ArrayList<>();
        List<Object[]> insert = new ArrayList<>();
        for (String key : keys) {
            if (present.contains(key)) {
                refresh.add(new Object[] {now, key, caseId});
            } else {
                insert.add(new Object[] {key, caseId, now});
            }
        }
        if (!refresh.isEmpty()) {
            jdbc.batchUpdate("UPDATE person_key SET created_at = ? WHERE key_hash = ? AND case_id = ?", refresh);
        }
        if (!insert.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO person_key (key_hash, case_id, created_at) VALUES (?, ?, ?)", insert);
        }
    }

    private void rememberOneByOne(Set<String> keys, String caseId, OffsetDateTime now) {
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

    /** The coordinator merged {@code from} into {@code into}: legacy keys must not lead back to the emptied case. */
    int moveCase(String from, String into) {
        jdbc.update("DELETE FROM person_key WHERE case_id = ? AND key_hash IN (SELECT key_hash FROM person_key WHERE case_id = ?)",
                from, into);
        return jdbc.update("UPDATE person_key SET case_id = ? WHERE case_id = ?", into, from);
    }

    /** Forgets keys not refreshed since {@code before}; returns how many. */
    int forgetOlderThan(OffsetDateTime before) {
        return jdbc.update("DELETE FROM person_key WHERE created_at < ?", before);
    }
}
