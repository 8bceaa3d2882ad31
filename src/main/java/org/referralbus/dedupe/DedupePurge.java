package org.referralbus.dedupe;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Forgets envelope hashes older than the envelope window and person keys older than the person window. Never
 * touches the audit trail, the referral ledger (receipts, case ids) or deliveries: a resubmission after the
 * envelope window is still answered with its receipt by the referral ledger. Each run is audited with counts only.
 */
@Component
public class DedupePurge {

    /** What one run deleted. */
    public record Result(int envelopes, int personKeys, int personEncodings) {
    }

    private final JdbcTemplate jdbc;
    private final PersonKeyStore personKeys;
    private final PersonEncodingStore personEncodings;
    private final DedupeProperties properties;
    private final AuditTrail audit;
    private final Clock clock;

    DedupePurge(JdbcTemplate jdbc, PersonKeyStore personKeys, PersonEncodingStore personEncodings,
                DedupeProperties properties, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.personKeys = personKeys;
        this.personEncodings = personEncodings;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    public Result purgeExpired() {
        return purge(OffsetDateTime.now(clock));
    }

    public Result purge(OffsetDateTime now) {
        // CAMEL_MESSAGEPROCESSED.createdAt is a local TIMESTAMP written by Camel as new Timestamp(millis): compare alike.
        int envelopes = jdbc.update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND createdAt < ?",
                ProcessedEnvelopesConfiguration.PROCESSOR_NAME,
                Timestamp.from(now.minus(properties.envelopeWindow()).toInstant()));
        int forgotten = personKeys.forgetOlderThan(now.minus(properties.personWindow()));
        int encodings = personEncodings.forgetOlderThan(now.minus(properties.personWindow()));
        audit.record(AuditEvent.of(AuditEventType.PURGED, null, audit.busActor())
                .withDetail("envelopes:" + envelopes + ";person-keys:" + forgotten + ";person-encodings:" + encodings
                        + ";envelope-window:" + properties.envelopeWindow() + ";person-window:" + properties.personWindow()));
        return new Result(envelopes, forgotten, encodings);
    }
}
