package org.referralbus.audit;

/** What happened. Stored by name: never rename a constant. */
public enum AuditEventType {
    RECEIVED, OPENED, REJECTED, VALIDATED, DUPLICATE, LINKED, ROUTED, DELIVERED, FETCHED, ACKNOWLEDGED, DECLINED,
    REROUTED, ESCALATED, DEAD_LETTERED, CONFIGURATION_CHANGED, AUDITOR_QUERIED, CHECKPOINT,
    /** Expired envelope hashes and person keys were forgotten; detail holds counts and windows only. */
    PURGED
}
