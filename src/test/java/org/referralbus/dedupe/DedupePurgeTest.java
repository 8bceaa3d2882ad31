package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.referralbus.audit.AuditChain;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.support.RunningBus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The purge forgets expired envelope hashes and person keys, keeps the rest, and never breaks the audit chain. */
class DedupePurgeTest extends RunningBus {

    @Autowired
    DedupePurge purge;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void purgeRemovesExpiredEntriesOnlyAndLeavesTheAuditChainIntact() {
        OffsetDateTime now = OffsetDateTime.now();
        String oldEnvelope = randomHex();
        String recentEnvelope = randomHex();
        jdbc.update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)",
                ProcessedEnvelopesConfiguration.PROCESSOR_NAME, oldEnvelope, Timestamp.from(now.minusDays(31).toInstant()));
        jdbc.update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)",
                ProcessedEnvelopesConfiguration.PROCESSOR_NAME, recentEnvelope, Timestamp.from(now.minusDays(29).toInstant()));
        String caseId = UUID.randomUUID().toString();
        String oldKey = randomHex();
        String recentKey = randomHex();
        jdbc.update("INSERT INTO person_key (key_hash, case_id, created_at) VALUES (?, ?, ?)", oldKey, caseId, now.minusDays(181));
        jdbc.update("INSERT INTO person_key (key_hash, case_id, created_at) VALUES (?, ?, ?)", recentKey, caseId, now.minusDays(179));
        int auditRowsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM audit_event", Integer.class);

        DedupePurge.Result result = purge.purge(now);

        assertThat(result.envelopes()).isGreaterThanOrEqualTo(1);
        assertThat(result.personKeys()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForList("SELECT messageId FROM CAMEL_MESSAGEPROCESSED WHERE messageId IN (?, ?)", String.class,
                oldEnvelope, recentEnvelope)).containsExactly(recentEnvelope);
        assertThat(jdbc.queryForList("SELECT key_hash FROM person_key WHERE case_id = ?", String.class, caseId))
                .containsExactly(recentKey);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event", Integer.class)).isGreaterThan(auditRowsBefore);
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_event WHERE event_type = 'PURGED' ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY",
                String.class)).startsWith("envelopes:" + result.envelopes() + ";person-keys:" + result.personKeys());
        assertAuditChainIntact();
    }

    /** Recomputes every row's hash from its fields and the previous hash, as the auditor's verifier does. */
    private void assertAuditChainIntact() {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM audit_event ORDER BY seq");
        String previous = AuditChain.GENESIS;
        long expectedSeq = 1;
        for (Map<String, Object> row : rows) {
            long seq = ((Number) row.get("seq")).longValue();
            assertThat(seq).isEqualTo(expectedSeq++);
            assertThat(((String) row.get("prev_hash")).trim()).isEqualTo(previous);
            AuditEvent event = new AuditEvent(AuditEventType.valueOf((String) row.get("event_type")), (String) row.get("referral_id"),
                    (String) row.get("actor"), (String) row.get("counterpart"), trim(row.get("envelope_sha256")), (String) row.get("detail"));
            OffsetDateTime at = jdbc.queryForObject("SELECT at FROM audit_event WHERE seq = ?", OffsetDateTime.class, seq);
            String hash = AuditChain.hash(seq, at, event, previous);
            assertThat(((String) row.get("hash")).trim()).as("hash of row " + seq).isEqualTo(hash);
            previous = hash;
        }
    }

    private static String trim(Object value) {
        return value == null ? null : ((String) value).trim();
    }

    private static String randomHex() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
