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
    /**
     * The envelope is EnvelopedData (AES-CBC, unauthenticated), which the bus refuses before decrypting anything: only
     * AuthEnvelopedData with AES-GCM is read, so no padding or timing oracle exists (issue 10).
     */
    UNSUPPORTED_ENVELOPE(400, "Only AuthEnvelopedData with AES-GCM is accepted: encrypt with openssl cms -encrypt -aes-256-gcm."),
    /** The envelope uses RSA PKCS#1 v1.5 key transport, which the bus refuses. */
    UNSUPPORTED_KEY_TRANSPORT(400, "RSA PKCS#1 v1.5 key transport is refused: encrypt with RSA-OAEP or ECDH."),
    /** The inner SignedData is missing, malformed, or its signature does not verify. */
    SIGNATURE_INVALID(400, "The inner signature is missing or does not verify."),
    /**
     * The signer certificate does not chain to a trusted CA, is expired, not yet valid or revoked, or names a
     * registered agency on another key than the registry's.
     */
    SIGNER_UNTRUSTED(403, "The signer certificate is not trusted."),
    /** The TLS client, the CMS signer and the referral's declared sender are not the same participant. */
    SIGNER_MISMATCH(403, "The TLS client, the signer and the declared sender must be the same agency."),
    /** The caller's role does not allow this operation. */
    FORBIDDEN(403, "This participant may not do that."),
    /** The XML is not a valid referral (well-formedness, DOCTYPE, schema). */
    SCHEMA_VIOLATION(400, "The referral does not conform to referral-v1.xsd."),
    /** The request's Content-Type is not one the endpoint reads (a referral is a CMS envelope: application/pkcs7-mime). */
    UNSUPPORTED_MEDIA_TYPE(415, "The request body's media type is not accepted here."),
    /**
     * The request's body did not arrive whole: the client sent nothing for longer than the bus waits
     * ({@code referral-bus.intake.upload-timeout}), fell behind the pace of {@code referral-bus.intake.upload-pace}, or
     * its connection closed before the declared length. Nothing was
     * read further or stored; the same file sent again is processed once.
     */
    UPLOAD_INCOMPLETE(408, "The upload did not arrive whole and nothing was stored: send the same file again, on a better line if possible."),
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
    /**
     * The client certificate, though from the CA, does not name exactly one participant and role: two participant
     * URIs, an id that is not of the form {@code [a-z0-9-]}, an OU that is not a role, or more than one OU or CN.
     */
    CERTIFICATE_MALFORMED(401, "The client certificate does not name exactly one participant and role."),
    /** The client certificate names a participant that no registry lists (agencies, providers, oversight). */
    PARTICIPANT_NOT_REGISTERED(401, "The client certificate names a participant that is not in the registry."),
    /** The client certificate names a registered participant on another key than the registry's: a look-alike. */
    PARTICIPANT_KEY_MISMATCH(401, "The client certificate's key is not the one the registry lists for this participant."),
    /** One network address has more requests in progress than the bus serves at once; retry after {@code Retry-After}. */
    CONCURRENCY_LIMITED(429, "Too many simultaneous requests from this network address; retry later."),
    /**
     * Too many requests without a client certificate (or with one that is not admitted: revoked, unregistered) are in
     * progress on this node ({@code referral-bus.intake.anonymous-limit.max-concurrent}): the rest of the threads are
     * kept for participants.
     */
    ANONYMOUS_LIMITED(503, "Too many requests without a client certificate are in progress; retry later."),
    /** {@code by} of a statistics query names a dimension the bus does not count by. */
    UNKNOWN_DIMENSION(400, "Unknown statistics dimension."),
    /**
     * A statistics range not on the configured grid (finer than it) or not over yet: two such ranges could differ by a
     * handful of referrals.
     */
    PERIOD_TOO_FINE(400, "Statistics are served only for closed periods on the statistics grid."),
    /**
     * Statistics are not answered while the bus is still giving facts to earlier referrals after a start (a first
     * start on a large database can take minutes): an answer then would count fewer referrals than the same answer later.
     */
    STATISTICS_NOT_READY(503, "Statistics are being prepared after a restart; retry in a few minutes."),
    /**
     * A statistics query by {@code outcome} over a period whose outcomes are not fixed yet: they are counted as they
     * stood at {@code referral-bus.statistics.outcome-cut-off} after the period, so that an answer never changes once
     * given. The detail and {@code Retry-After} say when it may be asked; the same query without {@code outcome} is served.
     */
    OUTCOMES_NOT_FINAL(409, "The outcomes of this period are not fixed yet; ask for them after the cut-off, or ask without outcome."),
    /** A case split names a referral that is not in that case (issue 16). */
    REFERRAL_NOT_IN_CASE(409, "The referral is not in this case."),
    /**
     * An admin asked to redeliver one dead letter that waits behind more than the broker may walk past to move it
     * (the broker keeps every paged message it walked past in memory): nothing was moved. The detail says how much
     * waits ahead; {@code admin dead-letters redeliver --all} takes the oldest first and walks past none.
     */
    REDELIVERY_TOO_DEEP(409, "This dead letter waits behind too many others; redeliver those first, or all of them."),
    /** The endpoint exists but does not take the request's method; the {@code Allow} header lists those it takes. */
    METHOD_NOT_ALLOWED(405, "This endpoint does not take that method; the Allow header lists the ones it does."),
    /** The {@code Accept} header names no media type this endpoint answers in (JSON, problem JSON, or the CMS envelope). */
    NOT_ACCEPTABLE(406, "The endpoint cannot answer in the media type the Accept header asks for."),
    /** The resource does not exist or is not visible to the caller. */
    NOT_FOUND(404, "Not found."),
    /**
     * The same referral is being processed right now by another request or bus node (it holds the processing lease):
     * retry after {@code Retry-After} seconds to get its receipt. Nothing was stored for this request.
     */
    REFERRAL_IN_PROGRESS(503, "This referral is still being processed; retry after the Retry-After seconds."),
    /**
     * The bus is starting or stopping: its web server answers while the referral flow is not running (yet, or any
     * more). Send the same envelope again after {@code Retry-After} seconds: it is processed once.
     */
    BUS_NOT_READY(503, "The bus is starting or stopping; retry after the Retry-After seconds."),
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
