package org.referralbus.audit;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.referralbus.audit.AuditCheckpoints.Checkpoint;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The only class that issues SQL on the trail's tables ({@code audit_event}, {@code audit_head},
 * {@code audit_checkpoint}, {@code audit_tree_head}): the writer ({@link AuditTrail}), the checkpoints, the verifier, the auditor queries and
 * the console all ask it. Stateless over its {@link JdbcTemplate}, so the verifier can run it on a copy of the
 * database without the application context.
 */
final class AuditRows {

    static final String COLUMNS = "seq, at, event_type, referral_id, actor, counterpart, envelope_sha256, detail, hash, prev_hash";

    record Head(long seq, String hash) {
    }

    private final JdbcTemplate jdbc;

    AuditRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the database holds the trail's tables at all (a verifier must not create them). */
    boolean trailExists() {
        return Boolean.TRUE.equals(jdbc.execute((java.sql.Connection connection) -> {
            java.sql.DatabaseMetaData metadata = connection.getMetaData();
            for (String name : List.of("audit_event", "AUDIT_EVENT")) {
                try (java.sql.ResultSet tables = metadata.getTables(null, null, name, null)) {
                    if (tables.next()) {
                        return true;
                    }
                }
            }
            return false;
        }));
    }

    /**
     * The head, locked until the caller's transaction ends: one writer at a time across instances. The lock is an
     * update that changes nothing, then a read: H2 keeps no {@code SELECT ... FOR UPDATE} among a connection's parsed
     * statements ({@code Select.isCacheable}) and parsed it anew for every event batch, about 3 % of a busy bus's CPU;
     * the update it keeps. Both engines lock the row alike, and a read after the lock sees the last committed head.
     */
    Head lockHead() {
        jdbc.update("UPDATE audit_head SET seq = seq WHERE id = 1");
        return head();
    }

    Head head() {
        return head(jdbc.queryForMap("SELECT seq, hash FROM audit_head WHERE id = 1"));
    }

    /** Inserts the row and moves the head to it; call with the head locked. */
    void append(long seq, OffsetDateTime at, AuditEvent event, String prevHash, String hash) {
        jdbc.update("INSERT INTO audit_event (seq, at, event_type, referral_id, actor, counterpart, envelope_sha256, "
                        + "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                seq, at, event.type().name(), event.referralId(), event.actor(), event.counterpart(),
                event.envelopeSha256(), event.detail(), prevHash, hash);
        jdbc.update("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, hash);
    }

    record Row(long seq, OffsetDateTime at, AuditEvent event, String prevHash, String hash) {
    }

    /** Inserts the rows (consecutive, chained) in one batch and moves the head to the last; call with the head locked. */
    void appendAll(List<Row> appended) {
        jdbc.batchUpdate("INSERT INTO audit_event (seq, at, event_type, referral_id, actor, counterpart, envelope_sha256, "
                        + "detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                appended.stream().map(r -> new Object[] {r.seq(), r.at(), r.event().type().name(), r.event().referralId(),
                        r.event().actor(), r.event().counterpart(), r.event().envelopeSha256(), r.event().detail(),
                        r.prevHash(), r.hash()}).toList());
        Row last = appended.get(appended.size() - 1);
        jdbc.update("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", last.seq(), last.hash());
    }

    long count(String where, Object[] arguments) {
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM audit_event" + where, Long.class, arguments);
        return total == null ? 0 : total;
    }

    /** How many rows match, counted no further than {@code limit}: a bounded read however many match. */
    long countUpTo(String where, Object[] arguments, int limit) {
        Object[] limited = Arrays.copyOf(arguments, arguments.length + 1);
        limited[arguments.length] = limit;
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM (SELECT 1 FROM audit_event" + where + " FETCH FIRST ? ROWS ONLY) up_to",
                Long.class, limited);
        return total == null ? 0 : total;
    }

    /** {@code arguments} end with the offset and the row count. */
    List<AuditRecord> page(String where, Object[] arguments) {
        return jdbc.query("SELECT " + COLUMNS + " FROM audit_event" + where
                + " ORDER BY seq OFFSET ? ROWS FETCH NEXT ? ROWS ONLY", AuditQueries.ROW, arguments);
    }

    /**
     * A page of the rows matching either condition, which no row matches both of: two look-ups, sorted together.
     * {@code arguments}: the first condition's, the second's, the offset and the page size.
     */
    List<AuditRecord> pageOfEither(String where, String orWhere, Object[] arguments) {
        return jdbc.query("SELECT " + COLUMNS + " FROM (SELECT " + COLUMNS + " FROM audit_event" + where + " UNION ALL SELECT "
                + COLUMNS + " FROM audit_event" + orWhere + ") either ORDER BY seq OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                AuditQueries.ROW, arguments);
    }

    /**
     * Two index look-ups, by referral and by envelope: written as one condition with {@code OR}, H2 read every row of
     * the trail for each story (1.8 million for one referral's nine rows).
     */
    static final String STORY = "SELECT " + COLUMNS + " FROM audit_event WHERE referral_id = ? UNION ALL SELECT " + COLUMNS
            + " FROM audit_event WHERE referral_id IS NULL AND envelope_sha256 IN (SELECT envelope_sha256 FROM audit_event "
            + "WHERE referral_id = ? AND envelope_sha256 IS NOT NULL) ORDER BY seq";

    /** Whether any row names this participant as actor or counterpart (each half one index). */
    boolean namesParticipant(String id) {
        return !jdbc.queryForList("SELECT 1 FROM audit_event WHERE actor = ? FETCH FIRST 1 ROWS ONLY", Integer.class, id).isEmpty()
                || !jdbc.queryForList("SELECT 1 FROM audit_event WHERE counterpart = ? FETCH FIRST 1 ROWS ONLY", Integer.class, id).isEmpty();
    }

    List<AuditRecord> story(String referralId) {
        return jdbc.query(STORY, AuditQueries.ROW, referralId, referralId);
    }

    /** Rows {@code fromSeq..toSeq} in seq order, in {@link #COLUMNS} order. */
    void range(long fromSeq, long toSeq, RowCallbackHandler each) {
        jdbc.query("SELECT " + COLUMNS + " FROM audit_event WHERE seq BETWEEN ? AND ? ORDER BY seq", each, fromSeq, toSeq);
    }

    /**
     * Every row in seq order, in {@link #COLUMNS}, read in pages of the primary key from the smallest seq stored to the
     * largest: memory stays flat however long the trail (PostgreSQL's driver holds a whole result in memory).
     */
    void eachRowInPages(RowCallbackHandler each) {
        Map<String, Object> bounds = jdbc.queryForMap("SELECT MIN(seq) AS first_seq, MAX(seq) AS last_seq FROM audit_event");
        if (bounds.get("first_seq") == null) {
            return;
        }
        long last = ((Number) bounds.get("last_seq")).longValue();
        for (long from = ((Number) bounds.get("first_seq")).longValue(); from <= last; from += LEAF_PAGE) {
            range(from, Math.min(last, from + LEAF_PAGE - 1), each);
        }
    }

    Optional<String> hashAt(long seq) {
        return jdbc.queryForList("SELECT hash FROM audit_event WHERE seq = ?", String.class, seq).stream().findFirst();
    }

    List<Long> seqsWithHash(String hash) {
        return jdbc.queryForList("SELECT seq FROM audit_event WHERE hash = ?", Long.class, hash);
    }

    /** A trail row about a referral, as the console's progress reads it (ids and times only). */
    record ReferralRow(long seq, String referralId, String type, OffsetDateTime at, String actor, String counterpart,
                       String envelopeSha256) {
    }

    /**
     * The rows about referrals with {@code fromSeq < seq <= toSeq}, in seq order: one range of the primary key,
     * whatever the trail's length. Auditor queries and configuration changes are not about a referral's progress.
     */
    List<ReferralRow> referralRows(long fromSeq, long toSeq) {
        return jdbc.query(REFERRAL_ROWS, (rs, i) -> new ReferralRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class), rs.getString(5), rs.getString(6), trimmed(rs.getString(7))),
                fromSeq, toSeq, AuditEventType.AUDITOR_QUERIED.name(), AuditEventType.CONFIGURATION_CHANGED.name());
    }

    static final String REFERRAL_ROWS = "SELECT seq, referral_id, event_type, at, actor, counterpart, envelope_sha256 "
            + "FROM audit_event WHERE seq > ? AND seq <= ? AND referral_id IS NOT NULL AND event_type NOT IN (?, ?) ORDER BY seq";

    /**
     * One statement text whatever the number of envelopes (one array parameter, not {@code IN (?, ?, ...)} built to the
     * list's length): H2 keeps each text a connection runs in its statement cache, and walks every cached statement's
     * expressions whenever a transaction first writes a table, so a text per fold page, with a thousand parameters
     * each, made every later write on that pooled connection slower (docs/performance.md, "Stored data").
     */
    static final String FIRST_RECEIVED = "SELECT envelope_sha256, at FROM audit_event WHERE envelope_sha256 = ANY(?) "
            + "AND event_type = ? ORDER BY seq";

    /** When each envelope was first received (its earliest RECEIVED row), by envelope hash; absent ones are left out. */
    Map<String, OffsetDateTime> firstReceived(Collection<String> envelopes) {
        Map<String, OffsetDateTime> received = new HashMap<>();
        if (envelopes.isEmpty()) {
            return received;
        }
        jdbc.query(FIRST_RECEIVED, rs -> {
            received.putIfAbsent(trimmed(rs.getString(1)), rs.getObject(2, OffsetDateTime.class));
        }, envelopes.toArray(String[]::new), AuditEventType.RECEIVED.name());
        return received;
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    Optional<OffsetDateTime> firstEventAt() {
        return jdbc.queryForList("SELECT at FROM audit_event WHERE seq = 1", OffsetDateTime.class).stream().findFirst();
    }

    boolean checkpointed(long seq) {
        Integer signed = jdbc.queryForObject("SELECT COUNT(*) FROM audit_checkpoint WHERE seq = ?", Integer.class, seq);
        return signed != null && signed > 0;
    }

    /** Throws DuplicateKeyException if another instance stored this checkpoint first. */
    void insertCheckpoint(Checkpoint checkpoint) {
        jdbc.update("INSERT INTO audit_checkpoint (seq, hash, at, signature) VALUES (?, ?, ?, ?)",
                checkpoint.seq(), checkpoint.hash(), checkpoint.at(), checkpoint.signature());
    }

    Optional<Checkpoint> latestCheckpoint() {
        return jdbc.query("SELECT seq, hash, at, signature FROM audit_checkpoint ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY",
                AuditRows::checkpoint).stream().findFirst();
    }

    List<Checkpoint> checkpoints() {
        return jdbc.query("SELECT seq, hash, at, signature FROM audit_checkpoint ORDER BY seq", AuditRows::checkpoint);
    }

    /**
     * The leaf hashes (RFC 6962, over the raw bytes of each row's chain hash) of rows {@code fromSeq..toSeq} in seq
     * order, read in pages of the primary key: memory stays flat however long the trail (one result of every row was
     * held whole by H2 and by PostgreSQL's driver).
     */
    void eachLeafHash(long fromSeq, long toSeq, java.util.function.Consumer<byte[]> each) {
        RowCallbackHandler leaf = rs -> each.accept(leafOf(rs.getString(1)));
        for (long from = fromSeq; from <= toSeq; from += LEAF_PAGE) {
            jdbc.query(LEAF_RANGE, leaf, from,
                    Math.min(toSeq, from + LEAF_PAGE - 1));
        }
    }

    /**
     * The RFC 6962 leaf of a row: over the 32 bytes of its chain hash. A hash edited into something that is not hex is
     * taken as its text, so the tree's root cannot match a signed one, the verifier reports the row, and the signer
     * still signs the trail as it is instead of failing at every interval.
     */
    static byte[] leafOf(String storedHash) {
        String trimmed = storedHash == null ? "" : storedHash.trim();
        try {
            return MerkleTree.leafHash(java.util.HexFormat.of().parseHex(trimmed));
        } catch (IllegalArgumentException notHex) {
            return MerkleTree.leafHash(trimmed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static final int LEAF_PAGE = 10_000;
    static final String LEAF_RANGE = "SELECT hash FROM audit_event WHERE seq BETWEEN ? AND ? ORDER BY seq";

    Optional<AuditRecord> record(long seq) {
        return jdbc.query("SELECT " + COLUMNS + " FROM audit_event WHERE seq = ?", AuditQueries.ROW, seq).stream().findFirst();
    }

    /**
     * Throws DuplicateKeyException if another instance stored a head of this size first. {@code frontier}: the tree's
     * subtree roots ({@link MerkleTree.Frontier#packed}) and {@code lastHash} the chain hash of its last row, kept so that
     * a restart need not hash the trail again.
     */
    void insertTreeHead(TreeHead head, byte[] frontier, String lastHash) {
        jdbc.update("INSERT INTO audit_tree_head (tree_size, root_hash, at, signature, frontier, frontier_last_hash) "
                + "VALUES (?, ?, ?, ?, ?, ?)", head.treeSize(), head.rootHash(), head.at(), head.signature(), frontier, lastHash);
    }

    /** A signed head with the frontier stored with it, and the chain hash its last row had. */
    record HeadWithFrontier(TreeHead head, byte[] frontier, String lastHash) {
    }

    /** The largest head of at most {@code maxSize} rows that has a frontier stored with it. */
    Optional<HeadWithFrontier> latestHeadWithFrontier(long maxSize) {
        return jdbc.query("SELECT " + TREE_HEAD + ", frontier, frontier_last_hash FROM audit_tree_head WHERE frontier IS NOT NULL "
                        + "AND tree_size <= ? ORDER BY tree_size DESC FETCH FIRST 1 ROWS ONLY",
                (rs, i) -> new HeadWithFrontier(treeHead(rs, i), rs.getBytes(6), trimmed(rs.getString(7))), maxSize)
                .stream().findFirst();
    }

    void storeTimestampToken(long treeSize, byte[] token) {
        jdbc.update("UPDATE audit_tree_head SET timestamp_token = ? WHERE tree_size = ?", token, treeSize);
    }

    Optional<TreeHead> latestTreeHead() {
        return jdbc.query("SELECT " + TREE_HEAD + " FROM audit_tree_head ORDER BY tree_size DESC FETCH FIRST 1 ROWS ONLY",
                AuditRows::treeHead).stream().findFirst();
    }

    Optional<TreeHead> treeHead(long treeSize) {
        return jdbc.query("SELECT " + TREE_HEAD + " FROM audit_tree_head WHERE tree_size = ?", AuditRows::treeHead, treeSize)
                .stream().findFirst();
    }

    List<TreeHead> treeHeads() {
        return jdbc.query("SELECT " + TREE_HEAD + " FROM audit_tree_head ORDER BY tree_size", AuditRows::treeHead);
    }

    /** Heads signed but never timestamped, oldest first. */
    List<TreeHead> treeHeadsWithoutTimestamp(int limit) {
        return jdbc.query("SELECT " + TREE_HEAD + " FROM audit_tree_head WHERE timestamp_token IS NULL ORDER BY tree_size "
                + "FETCH FIRST " + limit + " ROWS ONLY", AuditRows::treeHead);
    }

    private static final String TREE_HEAD = "tree_size, root_hash, at, signature, timestamp_token";

    private static TreeHead treeHead(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new TreeHead(rs.getLong(1), rs.getString(2).trim(), rs.getObject(3, OffsetDateTime.class), rs.getBytes(4),
                rs.getBytes(5));
    }

    private static Checkpoint checkpoint(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Checkpoint(rs.getLong(1), rs.getString(2).trim(), rs.getObject(3, OffsetDateTime.class), rs.getBytes(4));
    }

    private static Head head(Map<String, Object> row) {
        return new Head(((Number) row.get("SEQ")).longValue(), ((String) row.get("HASH")).trim());
    }
}
