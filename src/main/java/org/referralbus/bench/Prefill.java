package org.referralbus.bench;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Fills the stopped bus's database with {@code target} more referrals, quickly: every row the benchmark's own
 * referrals left (referral, needs and their history, deliveries with their sealed copies, audit events, person keys and
 * encodings, processed envelopes, statistics facts) is copied, copy {@code k} with every id and hash re-keyed by
 * writing {@code k} over its first eight characters, until the referral table holds {@code target} more rows. One
 * {@code INSERT … SELECT} per table and batch of copies, so 200 000 referrals take minutes, not the hours the bus
 * would need.
 *
 * <p>Implementation note. This is a benchmark tool working on a scratch database: it copies rows by table name,
 * outside the tables' owners, and the copies keep the time stamps of their originals (everything recent, the worst
 * case for windows such as the envelope and person-key ones). Each copy is another person: its person keys and its
 * typo-tolerant blocks are re-keyed too. The copied audit rows carry re-keyed hashes, so the
 * prefilled trail does not verify; the head is moved to the last copied row so the bus appends after it.
 */
final class Prefill {

    /** Tables copied, in order; columns named here are re-keyed, numeric keys are shifted past the originals. */
    private static final List<String> TABLES = List.of("referral", "referral_need", "referral_need_history", "delivery",
            "audit_event", "person_key", "person_encoding", "person_block", "camel_messageprocessed", "referral_facts");
    private static final Set<String> REKEYED = Set.of("referral_id", "delivery_id", "case_id", "key_hash", "messageid",
            "envelope_sha256", "content_sha256", "hash", "prev_hash", "origin", "supersedes");
    private static final int COPIES_PER_STATEMENT = 10;

    private final String url;
    private final String user;
    private final String password;

    Prefill(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Adds at least {@code target} referrals (whole copies of the stored ones); returns how many were added. */
    long fill(long target, IntConsumer progress) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.setAutoCommit(false);
            long template = count(connection, "referral");
            if (template == 0) {
                throw new IllegalStateException("nothing to copy: the bus stored no referral");
            }
            int copies = (int) ((target + template - 1) / template);
            long seqShift = max(connection, "audit_event", "seq");
            long encodingShift = max(connection, "person_encoding", "id");
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE bench_copy (k INT NOT NULL PRIMARY KEY)");
            }
            for (int first = 1; first <= copies; first += COPIES_PER_STATEMENT) {
                int last = Math.min(copies, first + COPIES_PER_STATEMENT - 1);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("DELETE FROM bench_copy");
                    for (int k = first; k <= last; k++) {
                        statement.addBatch("INSERT INTO bench_copy (k) VALUES (" + k + ")");
                    }
                    statement.executeBatch();
                    for (String table : TABLES) {
                        statement.execute(copyStatement(connection, table, seqShift, encodingShift));
                    }
                }
                connection.commit();
                progress.accept((int) (last * template));
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE bench_copy");
                long lastSeq = max(connection, "audit_event", "seq");
                try (PreparedStatement head = connection.prepareStatement(
                        "UPDATE audit_head SET seq = ?, hash = (SELECT hash FROM audit_event WHERE seq = ?)")) {
                    head.setLong(1, lastSeq);
                    head.setLong(2, lastSeq);
                    head.executeUpdate();
                }
                statement.execute("ALTER TABLE person_encoding ALTER COLUMN id RESTART WITH "
                        + (max(connection, "person_encoding", "id") + 1));
            }
            connection.commit();
            return (long) copies * template;
        }
    }

    private static String copyStatement(Connection connection, String table, long seqShift, long encodingShift)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String column : columns(connection, table)) {
            String name = column.toLowerCase(Locale.ROOT);
            if (table.equals("referral_need_history") && name.equals("id")) {
                continue; // an identity: the copies get their own
            }
            columns.add(column);
            if (REKEYED.contains(name)) {
                values.add("LPAD(CAST(c.k AS VARCHAR(8)), 8, '0') || SUBSTRING(t." + column + " FROM 9)");
            } else if (table.equals("audit_event") && name.equals("seq")) {
                values.add("t.seq + c.k * " + seqShift);
            } else if (table.equals("person_block") && name.equals("block_key")) {
                // Each copy is another person: its blocks are its own, not a crowd around the original's.
                values.add("MOD(t.block_key, 1000000000000000) * 1000 + c.k");
            } else if ((table.equals("person_encoding") && name.equals("id"))
                    || (table.equals("person_block") && name.equals("encoding_id"))) {
                values.add("t." + column + " + c.k * " + encodingShift);
            } else {
                values.add("t." + column);
            }
        }
        // Only the originals are copied: copies have a k over their first characters, the originals none of the
        // copy numbers (their ids are random hex, their sequence numbers and encoding ids below the shift).
        String originals = switch (table) {
            case "audit_event" -> "t.seq <= " + seqShift;
            case "person_encoding" -> "t.id <= " + encodingShift;
            case "person_block" -> "t.encoding_id <= " + encodingShift;
            case "person_key" -> "t.key_hash NOT LIKE '00%'";
            case "camel_messageprocessed" -> "t.messageId NOT LIKE '00%'";
            default -> "t.referral_id NOT LIKE '00%'";
        };
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") SELECT " + String.join(", ", values)
                + " FROM " + table + " t CROSS JOIN bench_copy c WHERE " + originals;
    }

    private static List<String> columns(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        List<String> columns = new ArrayList<>();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = meta.getColumns(null, null, name, null)) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME"));
                }
            }
            if (!columns.isEmpty()) {
                break;
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("table " + table + " not found");
        }
        return columns;
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long max(Connection connection, String table, String column) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(" + column + "), 0) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
