import java.sql.*;
import java.time.*;

/** The auditor API's time-range filter on the prefilled trail: total and first page, with or without an index on at. */
public class TimeProbe {
    static final String COLUMNS = "seq, at, event_type, referral_id, actor, counterpart, envelope_sha256, detail, hash, prev_hash";
    public static void main(String[] a) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + a[0] + ";QUERY_CACHE_SIZE=256", "sa", "")) {
            if (a.length > 1 && a[1].equals("index")) {
                long t0 = System.nanoTime();
                c.createStatement().execute("CREATE INDEX IF NOT EXISTS audit_by_time ON audit_event (at)");
                System.out.printf("index created in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            }
            OffsetDateTime last;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT at FROM audit_event WHERE seq = (SELECT MAX(seq) FROM audit_event)")) { rs.next(); last = rs.getObject(1, OffsetDateTime.class); }
            OffsetDateTime from = last.minusMinutes(1), to = last.plusSeconds(1);
            long t0 = System.nanoTime(); long n = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_event WHERE at >= ? AND at < ?")) {
                ps.setObject(1, from); ps.setObject(2, to);
                try (ResultSet rs = ps.executeQuery()) { rs.next(); n = rs.getLong(1); }
            }
            long t1 = System.nanoTime(); int m = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_event WHERE at >= ? AND at < ? ORDER BY seq OFFSET 0 ROWS FETCH NEXT 50 ROWS ONLY")) {
                ps.setObject(1, from); ps.setObject(2, to);
                try (ResultSet rs = ps.executeQuery()) { while (rs.next()) m++; }
            }
            System.out.printf("last minute: total %d in %.1f ms, first page %d in %.1f ms%n", n, (t1 - t0) / 1e6, m, (System.nanoTime() - t1) / 1e6);
        }
    }
}
