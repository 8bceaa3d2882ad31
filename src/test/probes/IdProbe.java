import java.sql.*;

/** A whole referral id: the console's scan of every referral's text against one look-up of the key. */
public class IdProbe {
    public static void main(String[] a) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + a[0] + ";QUERY_CACHE_SIZE=256", "sa", "")) {
            String id;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT referral_id FROM referral_progress ORDER BY received_at DESC LIMIT 1 OFFSET 100000")) { rs.next(); id = rs.getString(1); }
            String cols = "referral_id, sender, received_at, last_step, last_step_at, providers, delivered_at, accepted_at, awaiting";
            String scan = "SELECT " + cols + " FROM referral_progress WHERE LOWER(referral_id) LIKE ? ESCAPE '\\' OR sender LIKE ? ESCAPE '\\' OR ',' || providers || ',' LIKE ? ESCAPE '\\' ORDER BY received_at DESC, referral_id LIMIT 200";
            String key = "SELECT " + cols + " FROM referral_progress WHERE referral_id IN (?, ?)";
            for (int round = 0; round < 2; round++) {
                String q = round == 0 ? id : id.toUpperCase();
                long t0 = System.nanoTime(); int n = 0;
                try (PreparedStatement ps = c.prepareStatement(scan)) {
                    String lq = q.toLowerCase();
                    ps.setString(1, "%" + lq + "%"); ps.setString(2, "%" + lq + "%"); ps.setString(3, "%," + lq + ",%");
                    try (ResultSet rs = ps.executeQuery()) { while (rs.next()) n++; }
                }
                long t1 = System.nanoTime(); int m = 0;
                try (PreparedStatement ps = c.prepareStatement(key)) {
                    ps.setString(1, q.toLowerCase()); ps.setString(2, q.toUpperCase());
                    try (ResultSet rs = ps.executeQuery()) { while (rs.next()) m++; }
                }
                System.out.printf("whole id: scan %.1f ms (%d found), key %.2f ms (%d found)%n", (t1 - t0) / 1e6, n, (System.nanoTime() - t1) / 1e6, m);
            }
        }
    }
}
