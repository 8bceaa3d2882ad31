package org.referralbus.core;

/** Names of the headers and exchange properties the referral flow passes between its steps. */
public final class ExchangeKeys {

    /** Header: participant id of the TLS client (HTTPS intake only). */
    public static final String TLS_CLIENT = "referralBusTlsClient";
    /** Header: {@code true} when the submission repeats one already routed; the body is then its receipt. */
    public static final String DUPLICATE = "referralBusDuplicate";
    /** Header: hex SHA-256 of the envelope, the key of the idempotent consumer. */
    public static final String ENVELOPE_SHA256 = "referralBusEnvelopeSha256";

    /** Property: the envelope bytes exactly as received (sealed), set first thing by the flow. */
    public static final String RAW_ENVELOPE = "referralBusRawEnvelope";
    /** Property: the {@code OpenedEnvelope}. */
    public static final String OPENED = "referralBusOpened";
    /** Property: the validated {@code Referral}. */
    public static final String REFERRAL = "referralBusReferral";
    /** Property: when the bus first accepted this referral (from the ledger, so retries agree). */
    public static final String RECEIVED_AT = "referralBusReceivedAt";
    /** Property: the {@code CaseLink} (case id, version, providers already holding the case), set by case linking. */
    public static final String CASE_LINK = "referralBusCaseLink";
    /** Property: the {@code RoutingDecision}. */
    public static final String DECISION = "referralBusDecision";

    private ExchangeKeys() {
    }
}
