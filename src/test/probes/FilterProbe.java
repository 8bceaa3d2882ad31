import java.sql.*;

/** Times the auditor API's filtered count and first page on the prefilled trail. */
public class FilterProbe {
    static final String COLUMNS = "seq, at, event_type, referral_id, actor, counterpart, envelope_sha256, detail, hash, prev_hash";
    public static void main(String[] a) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + a[0] + ";QUERY_CACHE_SIZE=256", "sa", "")) {
            String[][] queries = {
                {"participant OR, count", "SELECT COUNT(*) FROM audit_event WHERE (actor = ? OR counterpart = ?)", "2"},
                {"participant OR, page 1", "SELECT " + COLUMNS + " FROM audit_event WHERE (actor = ? OR counterpart = ?) ORDER BY seq OFFSET 0 ROWS FETCH NEXT 100 ROWS ONLY", "2"},
                {"participant split, count", "SELECT (SELECT COUNT(*) FROM audit_event WHERE actor = ?) + (SELECT COUNT(*) FROM audit_event WHERE counterpart = ? AND (actor IS NULL OR actor <> ?))", "3"},
                {"participant UNION, page 1", "SELECT * FROM (SELECT " + COLUMNS + " FROM audit_event WHERE actor = ? UNION ALL SELECT " + COLUMNS + " FROM audit_event WHERE counterpart = ? AND (actor IS NULL OR actor <> ?)) ORDER BY seq OFFSET 0 ROWS FETCH NEXT 100 ROWS ONLY", "3"},
            };
            for (int round = 0; round < 1; round++) {
                for (String[] q : queries) {
                    long t0 = System.nanoTime();
                    long n = 0;
                    try (PreparedStatement ps = c.prepareStatement(q[1])) {
                        for (int i = 1; i <= Integer.parseInt(q[2]); i++) ps.setString(i, a[1]);
                        try (ResultSet rs = ps.executeQuery()) { while (rs.next()) n = q[0].endsWith("count") ? rs.getLong(1) : n + 1; }
                    }
                    System.out.printf("round %d %-28s %8.1f ms  %d%n", round, q[0], (System.nanoTime() - t0) / 1e6, n);
                }
            }
        }
    }
}
