package org.referralbus.core;

/**
 * Stable error codes returned as the {@code code} member of every problem detail and written to the audit
 * trail as the rejection reason. Agencies script against these strings: never rename one.
 */
public enum ErrorCode {
    /** The body is not a CMS envelope the bus can parse (not CMS, garbage or truncated ASN.1, bad PEM/S/MIME). */
    ENVELOPE_MALFORMED(400, "The body is not a CMS envelope."),
    /** Decryption failed for any reason; deliberately one code for all causes (no oracle). */
    DECRYPTION_FAILED(400, "The envelope could not be decrypted for this bus."),
    /** The envelope uses RSA PKCS#1 v1.5 key transport, which the bus refuses. */
    UNSUPPORTED_KEY_TRANSPORT(400, "RSA PKCS#1 v1.5 key transport is refused: encrypt with RSA-OAEP or ECDH."),
    /** The inner SignedData is missing, malformed, or its signature does not verify. */
    SIGNATURE_INVALID(400, "The inner signature is missing or does not verify."),
    /** The signer certificate does not chain to a trusted CA, is expired, not yet valid or revoked. */
    SIGNER_UNTRUSTED(403, "The signer certificate is not trusted."),
    /** The TLS client, the CMS signer and the referral's declared sender are not the same participant. */
    SIGNER_MISMATCH(403, "The TLS client, the signer and the declared sender must be the same agency."),
    /** The caller's role does not allow this operation. */
    FORBIDDEN(403, "This participant may not do that."),
    /** The XML is not a valid referral (well-formedness, DOCTYPE, schema). */
    SCHEMA_VIOLATION(400, "The referral does not conform to referral-v1.xsd."),
    /** The body exceeds the configured size limit. */
    PAYLOAD_TOO_LARGE(413, "The envelope is larger than the bus accepts."),
    /** The same sender reused a referralId for different content. */
    DUPLICATE_CONFLICT(409, "This referralId was already received with different content."),
    /** The delivery was already acknowledged with another decision (or escalated). */
    ACKNOWLEDGEMENT_CONFLICT(409, "This delivery was already answered or escalated."),
    /** The request body is not what the endpoint expects (e.g. an unknown acknowledgement decision). */
    INVALID_REQUEST(400, "The request is not valid."),
    /** {@code header/supersedes} names no referral this sender has filed with the bus (or one still in processing). */
    SUPERSEDES_UNKNOWN(409, "The referral this one supersedes is not known for this sender (yet)."),
    /** {@code createdAt} lies outside the replay window ({@code referral-bus.intake.replay-window}). */
    STALE_REFERRAL(400, "The referral's createdAt is outside the accepted time window."),
    /** The participant sent more requests than its rate limit allows; retry after {@code Retry-After} seconds. */
    RATE_LIMITED(429, "Too many requests from this participant; retry later."),
    /** The resource does not exist or is not visible to the caller. */
    NOT_FOUND(404, "Not found."),
    /** Something failed inside the bus; nothing was lost, the sender may retry. */
    INTERNAL_ERROR(500, "The bus could not process the referral; it is safe to retry.");

    private final int httpStatus;
    private final String title;

    ErrorCode(int httpStatus, String title) {
        this.httpStatus = httpStatus;
        this.title = title;
    }

    /** The snake_case string that agencies see, e.g. {@code schema_violation}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String title() {
        return title;
    }
}
