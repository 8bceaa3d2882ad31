package org.referralbus.dedupe;

import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The person_encoding and person_block tables: hardened encodings, their LSH blocks and the case they belong to.
 * Never a name, never an unkeyed hash of one.
 */
@Component
class PersonEncodingStore {

    /** A stored encoding as the matcher reads it. */
    record Candidate(long id, String caseId, String keyId, PersonEncoding encoding) {
    }

    private final JdbcTemplate jdbc;

    PersonEncodingStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stored encodings under any of {@code keyIds} sharing at least one LSH block with any of {@code probes}; each
     * candidate's {@link PersonEncoding#blocks()} are the blocks it shares, so the linker compares a probe only with
     * the candidates of its own blocks (those of another salt would never link, and cost the most to rule out).
     */
    List<Candidate> candidates(Collection<PersonEncoding> probes, Collection<String> keyIds) {
        Set<Long> blocks = new LinkedHashSet<>();
        probes.forEach(p -> {
            for (long block : p.blocks()) {
                blocks.add(block);
            }
        });
        if (blocks.isEmpty() || keyIds.isEmpty()) {
            return List.of();
        }
        // Two light queries: the blocks' encoding ids from the block index alone, then each encoding once. The lists
        // are bound as one array each (= ANY(?)), not as IN (?, ?, ...): a statement text per list length filled
        // H2's per-session statement cache with lists of a hundred parameters and more, and H2 walks every cached
        // statement's expressions whenever a transaction first writes a table (docs/performance.md, "Stored data").
        java.util.Map<Long, List<Long>> shared = new java.util.LinkedHashMap<>();
        jdbc.query("SELECT block_key, encoding_id FROM person_block WHERE block_key = ANY(?)",
                rs -> {
                    shared.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(rs.getLong(1));
                }, (Object) blocks.toArray(Long[]::new));
        if (shared.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT id, case_id, key_id, names, patronymic, birth_date_tag FROM person_encoding"
                        + " WHERE id = ANY(?) AND key_id = ANY(?)",
                (rs, n) -> new Candidate(rs.getLong(1), rs.getString(2), rs.getString(3), PersonEncoding.stored(
                        longs(rs.getBytes(4)), longs(rs.getBytes(5)), (Long) rs.getObject(6, Long.class),
                        shared.get(rs.getLong(1)).stream().mapToLong(Long::longValue).toArray())),
                shared.keySet().toArray(Long[]::new), keyIds.toArray(String[]::new));
    }

    /** Stores a referral's encodings for its case and restarts the person window of the whole case. */
    void remember(List<PersonEncoding> encodings, String caseId, String origin, String keyId, OffsetDateTime now) {
        // Only the current key's encodings are refreshed: after a rotation those of the previous key run out.
        jdbc.update("UPDATE person_encoding SET created_at = ? WHERE case_id = ? AND key_id = ?", now, caseId, keyId);
        if (!jdbc.queryForList("SELECT id FROM person_encoding WHERE origin = ? AND key_id = ?", Long.class, origin, keyId).isEmpty()) {
            return; // a retry of the same referral: its encodings are already stored
        }
        store(encodings, caseId, origin, keyId, now);
    }

    /** Stores a referral's encodings and their blocks, nothing else: for a case that has none yet. */
    void store(List<PersonEncoding> encodings, String caseId, String origin, String keyId, OffsetDateTime now) {
        for (PersonEncoding encoding : encodings) {
            org.springframework.jdbc.support.GeneratedKeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
            jdbc.update(connection -> {
                var statement = connection.prepareStatement("INSERT INTO person_encoding"
                        + " (case_id, origin, key_id, names, patronymic, birth_date_tag, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        new String[] {"id"});
                statement.setString(1, caseId);
                statement.setString(2, origin);
                statement.setString(3, keyId);
                statement.setBytes(4, bytes(encoding.names()));
                statement.setBytes(5, encoding.patronymic() == null ? null : bytes(encoding.patronymic()));
                statement.setObject(6, encoding.birthDateTag());
                statement.setObject(7, now);
                return statement;
            }, keys);
            long encodingId = keys.getKey().longValue();
            Set<Long> distinct = new LinkedHashSet<>();
            for (long block : encoding.blocks()) {
                distinct.add(block);
            }
            jdbc.batchUpdate("INSERT INTO person_block (block_key, encoding_id) VALUES (?, ?)",
                    distinct.stream().map(b -> new Object[] {b, encodingId}).toList());
        }
    }

    /** The coordinator merged {@code from} into {@code into}: the encodings follow. */
    int moveCase(String from, String into) {
        return jdbc.update("UPDATE person_encoding SET case_id = ? WHERE case_id = ?", into, from);
    }

    /** The coordinator split one referral out of its case: its encodings go to the new case. */
    int moveOrigin(String origin, String into) {
        return jdbc.update("UPDATE person_encoding SET case_id = ? WHERE origin = ?", into, origin);
    }

    /** Forgets encodings not refreshed since {@code before}, and their blocks; returns how many encodings. */
    int forgetOlderThan(OffsetDateTime before) {
        jdbc.update("DELETE FROM person_block WHERE encoding_id IN (SELECT id FROM person_encoding WHERE created_at < ?)", before);
        return jdbc.update("DELETE FROM person_encoding WHERE created_at < ?", before);
    }

    /** How many encodings each secret made, by key id: whether a previous secret is still needed (rotation). */
    java.util.Map<String, Integer> countByKey() {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        jdbc.query("SELECT key_id, COUNT(*) FROM person_encoding GROUP BY key_id", rs -> {
            counts.put(rs.getString(1), rs.getInt(2));
        });
        return counts;
    }

    private static byte[] bytes(long[] words) {
        ByteBuffer buffer = ByteBuffer.allocate(words.length * 8);
        for (long word : words) {
            buffer.putLong(word);
        }
        return buffer.array();
    }

    private static long[] longs(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long[] words = new long[bytes.length / 8];
        for (int i = 0; i < words.length; i++) {
            words[i] = buffer.getLong();
        }
        return words;
    }
}
