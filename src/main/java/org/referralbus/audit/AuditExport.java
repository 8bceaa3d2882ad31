package org.referralbus.audit;

import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;

import java.util.Base64;
import org.referralbus.envelope.EnvelopeSealer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The signed export, shared by the API and the console. Implementation note: the body is JSON lines of rows
 * {@code from..to}; {@code Referral-Bus-Export-Signature} is base64 of a detached CMS SignedData by the bus key
 * over exactly those bytes, and {@code export.sig} returns the same kind of signature as DER for the same range.
 * {@code to} defaults to the head when the request arrived, so the query's own AUDITOR_QUERIED row is outside it.
 */
@Component
class AuditExport {

    static final String SIGNATURE_HEADER = "Referral-Bus-Export-Signature";
    static final String RANGE_HEADER = "Referral-Bus-Export-Range";

    private final AuditQueries queries;
    private final EnvelopeSealer busSealer;
    private final AuditorQueryLog queryLog;

    AuditExport(AuditQueries queries, @Qualifier("busSealer") EnvelopeSealer busSealer, AuditorQueryLog queryLog) {
        this.queries = queries;
        this.busSealer = busSealer;
        this.queryLog = queryLog;
    }

    ResponseEntity<byte[]> export(String auditor, Long fromSeq, Long toSeq) {
        long from = fromSeq == null ? 1 : fromSeq;
        long to = upTo(from, toSeq);
        byte[] body = queries.export(from, to);
        queryLog.queried(auditor, "export:" + from + "-" + to, null);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/jsonl"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-" + from + "-" + to + ".jsonl\"")
                .header(RANGE_HEADER, from + "-" + to)
                .header(SIGNATURE_HEADER, Base64.getEncoder().encodeToString(busSealer.signDetached(body)))
                .body(body);
    }

    ResponseEntity<byte[]> signature(String auditor, Long fromSeq, Long toSeq) {
        long from = fromSeq == null ? 1 : fromSeq;
        long to = upTo(from, toSeq);
        byte[] signature = busSealer.signDetached(queries.export(from, to));
        queryLog.queried(auditor, "export-signature:" + from + "-" + to, null);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/pkcs7-signature"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-" + from + "-" + to + ".jsonl.p7s\"")
                .header(RANGE_HEADER, from + "-" + to)
                .body(signature);
    }

    /**
     * The last row exported: the one asked for, but never past the head when the request arrived, so the range named
     * in the header is the range in the body, and the same range always gives the same bytes (later rows, this very
     * query's among them, are not in it). A range that runs backwards is refused.
     */
    private long upTo(long from, Long toSeq) {
        long head = queries.headSeq();
        long to = toSeq == null ? head : Math.min(toSeq, head);
        if (from < 1 || (toSeq != null && toSeq < from)) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "fromSeq must be at least 1 and toSeq not below it (asked "
                    + from + "-" + toSeq + ")");
        }
        if (from > head) {
            // An empty export verifies as intact, which would read as "nothing happened" rather than "asked past the end".
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "fromSeq " + from + " is past the end of the trail, which"
                    + " ends at " + head);
        }
        return to;
    }
}
