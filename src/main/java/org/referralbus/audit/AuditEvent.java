package org.referralbus.audit;

/**
 * One audit fact, before it is chained. Fields carry ids, hashes and codes only: never a name, a note or any
 * other referral content.
 *
 * @param actor          the participant who caused the event (agency, provider) or {@code referral-bus}
 * @param counterpart    the other participant involved (e.g. the provider a delivery went to), may be null
 * @param envelopeSha256 hex SHA-256 of the envelope involved, may be null
 * @param detail         a reason code, rule id or similar machine-readable detail, may be null
 */
public record AuditEvent(AuditEventType type, String referralId, String actor, String counterpart,
                         String envelopeSha256, String detail) {

    public static AuditEvent of(AuditEventType type, String referralId, String actor) {
        return new AuditEvent(type, referralId, actor, null, null, null);
    }

    public AuditEvent withCounterpart(String value) {
        return new AuditEvent(type, referralId, actor, value, envelopeSha256, detail);
    }

    public AuditEvent withEnvelope(String value) {
        return new AuditEvent(type, referralId, actor, counterpart, value, detail);
    }

    public AuditEvent withDetail(String value) {
        return new AuditEvent(type, referralId, actor, counterpart, envelopeSha256, value);
    }
}
