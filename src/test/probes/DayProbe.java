import java.sql.*;
import java.util.*;
import java.time.*;

/** Times the per-day chart's read, the old way (one row per referral) and the new (one row per day and sender). */
public class DayProbe {
    public static void main(String[] a) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + a[0], "sa", "")) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT (SELECT seq FROM referral_progress_position), (SELECT COUNT(*) FROM referral_progress), (SELECT COUNT(*) FROM referral_progress_day), (SELECT SUM(referrals) FROM referral_progress_day)")) {
                rs.next(); System.out.println("position " + rs.getLong(1) + ", progress rows " + rs.getLong(2) + ", day rows " + rs.getLong(3) + ", referrals counted " + rs.getLong(4));
            }
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                Map<String, Map<String, Integer>> old = new TreeMap<>();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT received_at, sender FROM referral_progress")) {
                    while (rs.next()) {
                        String day = rs.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toString();
                        old.computeIfAbsent(String.valueOf(rs.getString(2)), s -> new TreeMap<>()).merge(day, 1, Integer::sum);
                    }
                }
                long t1 = System.nanoTime();
                Map<String, Map<String, Integer>> now = new TreeMap<>();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT received_on, sender, referrals FROM referral_progress_day WHERE referrals > 0 ORDER BY received_on, sender")) {
                    while (rs.next()) {
                        now.computeIfAbsent(rs.getString(2), s -> new TreeMap<>()).merge(rs.getObject(1, LocalDate.class).toString(), rs.getInt(3), Integer::sum);
                    }
                }
                long t2 = System.nanoTime();
                System.out.printf("round %d: one row per referral %.1f ms, one row per day and sender %.2f ms, same counts: %s%n", round, (t1 - t0) / 1e6, (t2 - t1) / 1e6, old.equals(now));
            }
        }
    }
}
