package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench --prefill: copies of the stored referrals with their rows, new ids, and the audit head after them. */
class PrefillTest {

    private static final String REFERRAL = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
    private static final String HASH = "ab".repeat(32);

    @TempDir
    Path folder;

    @Test
    void copiesEveryReferralWithItsRowsUnderNewIdsAndMovesTheAuditHead() throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("db").toAbsolutePath();
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO referral (sender, referral_id, content_sha256, envelope_sha256, state, received_at, case_id) "
                    + "VALUES ('border-service', '" + REFERRAL + "', '" + HASH + "', '" + HASH + "', 'DELIVERED', CURRENT_TIMESTAMP, '" + REFERRAL + "')");
            s.execute("INSERT INTO delivery (delivery_id, sender, referral_id, provider_id, services, rule, channel, state, "
                    + "envelope_sha256, sealed_envelope, created_at) VALUES ('" + REFERRAL + "', 'border-service', '" + REFERRAL
                    + "', 'medical-dushanbe', 'MEDICAL', 'r', 'QUEUE', 'DELIVERED', '" + HASH + "', X'0102', CURRENT_TIMESTAMP)");
            for (int seq = 1; seq <= 3; seq++) {
                s.execute("INSERT INTO audit_event (seq, at, event_type, referral_id, prev_hash, hash) VALUES (" + seq
                        + ", CURRENT_TIMESTAMP, 'DELIVERED', '" + REFERRAL + "', '" + HASH + "', '" + Integer.toString(seq).repeat(64) + "')");
            }
            s.execute("UPDATE audit_head SET seq = 3, hash = '" + "3".repeat(64) + "'");
            s.execute("INSERT INTO person_encoding (case_id, origin, key_id, names, created_at) VALUES ('" + REFERRAL + "', '"
                    + REFERRAL + "', 'k', X'00', CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO person_block (block_key, encoding_id) VALUES (-42, 1)");
        }

        long added = new Prefill(url, "sa", "").fill(25, n -> { });

        assertThat(added).isEqualTo(25);
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(DISTINCT referral_id) FROM referral")).isEqualTo(26);
            assertThat(count(s, "SELECT COUNT(DISTINCT delivery_id) FROM delivery")).isEqualTo(26);
            assertThat(count(s, "SELECT COUNT(*) FROM audit_event")).isEqualTo(78);
            assertThat(count(s, "SELECT COUNT(DISTINCT block_key) FROM person_block")).isEqualTo(26);
            assertThat(count(s, "SELECT seq FROM audit_head")).isEqualTo(count(s, "SELECT MAX(seq) FROM audit_event"));
            assertThat(count(s, "SELECT COUNT(*) FROM audit_head h JOIN audit_event e ON e.seq = h.seq AND e.hash = h.hash")).isEqualTo(1);
            s.execute("INSERT INTO person_encoding (case_id, origin, key_id, names, created_at) VALUES ('x', 'y', 'k', X'00', CURRENT_TIMESTAMP)");
        }
    }

    private static long count(Statement statement, String sql) throws Exception {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
