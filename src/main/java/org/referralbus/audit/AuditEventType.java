package org.referralbus.audit;

/** What happened. Stored by name: never rename a constant. */
public enum AuditEventType {
    RECEIVED, OPENED, REJECTED, VALIDATED, DUPLICATE, ROUTED, DELIVERED
}
