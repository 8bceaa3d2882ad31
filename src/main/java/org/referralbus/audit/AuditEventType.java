package org.referralbus.audit;

/** What happened. Stored by name: never rename a constant. */
public enum AuditEventType {
    RECEIVED, OPENED, REJECTED, VALIDATED, DUPLICATE, LINKED, ROUTED, DELIVERED, FETCHED, ACKNOWLEDGED, DECLINED,
    REROUTED, ESCALATED, DEAD_LETTERED, CONFIGURATION_CHANGED, AUDITOR_QUERIED, CHECKPOINT,
    /**
     * Expired envelope hashes and person keys were forgotten (detail holds counts and windows only), or, with a
     * referral id, its sealed envelope and copies were removed after retention (the row keeps the envelope's hash).
     */
    PURGED,
    /** The coordinator had a referral's sealed envelope and copies removed on request; ids and hashes remain. */
    ERASED,
    /** The provider reported an accepted case closed; detail holds the delivery id. */
    CLOSED,
    /** An admin listed or looked at dead letters; detail holds the queue and message id, never content. */
    DEAD_LETTERS_VIEWED,
    /** An admin put a dead letter back on its original queue; detail names the message, both queues and ids. */
    DEAD_LETTER_REDELIVERED,
    /** The coordinator merged a case into another; per moved referral, detail {@code case:<kept>;from:<merged>;rule:coordinator}. */
    CASES_MERGED,
    /** The coordinator split a referral out of its case; detail {@code case:<new>;from:<left>;rule:coordinator}. */
    CASE_SPLIT,
    /**
     * A provider holding a referral that a merge or split moved was not sent a case notice; counterpart the provider,
     * detail {@code case:<now>;not-told:<why>} ({@code never-given-the-case}, {@code out-of-standing}, {@code not-sent:<code>}).
     */
    CASE_NOTICE_NOT_SENT
}
