package org.referralbus.intake;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.RefusalsAuditedHere;
import org.referralbus.core.RetryLaterException;
import org.referralbus.core.UploadTooSlow;
import org.referralbus.dedupe.Receipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * HTTPS intake: hands the raw envelope and the TLS client's participant id to the referral flow and answers with
 * the signed receipt. The receipt's detached CMS signature (DER, base64) is in the
 * {@value #SIGNATURE_HEADER} header, over exactly the bytes of the response body. The body must be declared as a CMS
 * envelope ({@link #ENVELOPE_TYPES}, or no Content-Type at all, which HTTP reads as octet-stream); anything else is
 * refused {@code 415 unsupported_media_type} from the header alone, and audited like every refused submission.
 */
@RestController
class ReferralSubmissionController {

    static final String SIGNATURE_HEADER = "Referral-Bus-Receipt-Signature";
    static final String DUPLICATE_HEADER = "Referral-Bus-Duplicate";
    /** The web server opens a second or two before the flow has started; that is about how long a start has left. */
    static final Duration NOT_READY_RETRY_AFTER = Duration.ofSeconds(2);
    /** The media types of a CMS envelope (RFC 8551, its x- predecessor, RFC 7193) and of bytes of unknown type. */
    static final List<MediaType> ENVELOPE_TYPES = List.of(MediaType.parseMediaType("application/pkcs7-mime"),
            MediaType.parseMediaType("application/x-pkcs7-mime"), MediaType.parseMediaType("application/cms"),
            MediaType.APPLICATION_OCTET_STREAM);

    private static final Logger log = LoggerFactory.getLogger(ReferralSubmissionController.class);
    private static final int READ_BUFFER_BYTES = 16 * 1024;

    private final ProducerTemplate flow;
    private final IntakeProperties properties;
    private final AuditTrail audit;

    ReferralSubmissionController(ProducerTemplate flow, IntakeProperties properties, AuditTrail audit) {
        this.flow = flow;
        this.properties = properties;
        this.audit = audit;
    }

    @RefusalsAuditedHere // in the flow, with the envelope's hash (RejectionAudit), and here for size, media type and a cut body
    @PostMapping(path = "/api/v1/referrals", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> submit(HttpServletRequest request, @AuthenticationPrincipal UserDetails agency)
            throws IOException, org.apache.camel.InvalidPayloadException {
        requireEnvelopeMediaType(request, agency.getUsername());
        byte[] envelope = readBounded(request, agency.getUsername());
        Exchange result = flow.send(Flow.Endpoints.PROCESS_REFERRAL, exchange -> {
            exchange.getIn().setBody(envelope);
            exchange.getIn().setHeader(Flow.Headers.TLS_CLIENT, agency.getUsername());
        });
        if (result.getException() instanceof ReferralBusException rejected) {
            throw rejected;
        }
        if (flowNotRunning(result.getException())) {
            throw new RetryLaterException(ErrorCode.BUS_NOT_READY, "The referral flow is not running (the bus is starting or"
                    + " stopping): send the same envelope again", NOT_READY_RETRY_AFTER);
        }
        if (result.getException() != null) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Referral flow failed", result.getException());
        }
        Receipt receipt = result.getMessage().getMandatoryBody(Receipt.class);
        boolean duplicate = Boolean.TRUE.equals(result.getMessage().getHeader(Flow.Headers.DUPLICATE, Boolean.class));
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .contentType(MediaType.APPLICATION_JSON)
                .header(SIGNATURE_HEADER, Base64.getEncoder().encodeToString(receipt.signature()))
                .header(DUPLICATE_HEADER, Boolean.toString(duplicate))
                .body(receipt.json());
    }

    /**
     * Camel refuses an exchange while its context is not started (the web server opens before it, at start-up), and
     * a stopped route has no consumer (at shutdown): the sender retries, not an operator, and the same envelope sent
     * again is processed once (a referral a stopping flow had begun is taken up where it stopped).
     */
    private static boolean flowNotRunning(Exception failure) {
        return failure instanceof RejectedExecutionException || failure instanceof DirectConsumerNotAvailableException;
    }

    /**
     * Reads at most the limit plus one byte: a declared length above the limit is refused before reading anything,
     * a chunked body as soon as it passes the limit. Tomcat then drains at most {@code server.tomcat.max-swallow-size}
     * of the rest and closes the connection. A body that stops arriving is refused {@code upload_incomplete}.
     */
    private byte[] readBounded(HttpServletRequest request, String agency) throws IOException {
        int limit = properties.maxEnvelopeBytes();
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(agency, limit);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (InputStream in = request.getInputStream()) {
            byte[] buffer = new byte[READ_BUFFER_BYTES];
            int read;
            while (body.size() <= limit && (read = in.read(buffer, 0, Math.min(buffer.length, limit + 1 - body.size()))) != -1) {
                body.write(buffer, 0, read);
            }
        } catch (IOException cut) {
            throw uploadIncomplete(request, agency, body.size(), cut);
        }
        if (body.size() > limit) {
            throw tooLarge(agency, limit);
        }
        return body.toByteArray();
    }

    /**
     * Reading the body failed: the client sent nothing for {@code referral-bus.intake.upload-timeout}, or fell behind
     * the pace of {@code referral-bus.intake.upload-pace} (system's UploadPacing), or its connection
     * closed (or was cut) before the declared length (a broken chunked framing lands here too). Only the transfer failed,
     * so this is the sender's problem told in one line, without the container's exception. Tomcat has already failed the
     * response (408, or 400 after an end of stream) and discards what a handler writes: its error page answers with this
     * exception's code instead (system's ProblemErrorAttributes), if the connection still takes an answer.
     */
    private ReferralBusException uploadIncomplete(HttpServletRequest request, String agency, int received, IOException cut) {
        audit.record(AuditEvent.of(AuditEventType.REJECTED, null, agency).withDetail(ErrorCode.UPLOAD_INCOMPLETE.code()));
        long declared = request.getContentLengthLong();
        Throwable cause = causeOf(cut);
        String reason = cause instanceof UploadTooSlow slow ? slow.getMessage()
                : cause instanceof SocketTimeoutException ? "nothing more arrived within the upload timeout" : "the connection closed";
        log.info("Upload of {} incomplete: {} after {} of {} bytes", agency, reason, received,
                declared < 0 ? "an undeclared number of" : declared);
        return new ReferralBusException(ErrorCode.UPLOAD_INCOMPLETE, "Received " + received + " bytes, then " + reason
                + ": send the same file again", cut);
    }

    /** Tomcat wraps the socket's failure ({@code ClientAbortException}): the cause says which it was. */
    private static Throwable causeOf(IOException failure) {
        return failure.getCause() != null ? failure.getCause() : failure;
    }

    private void requireEnvelopeMediaType(HttpServletRequest request, String agency) {
        String declared = request.getContentType();
        if (declared == null || isEnvelopeType(declared)) {
            return;
        }
        audit.record(AuditEvent.of(AuditEventType.REJECTED, null, agency).withDetail(ErrorCode.UNSUPPORTED_MEDIA_TYPE.code()));
        throw new ReferralBusException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "Send the CMS envelope with Content-Type application/pkcs7-mime (also read: application/x-pkcs7-mime, "
                        + "application/cms, application/octet-stream)");
    }

    private static boolean isEnvelopeType(String declared) {
        try {
            MediaType type = MediaType.parseMediaType(declared);
            return ENVELOPE_TYPES.stream().anyMatch(type::equalsTypeAndSubtype);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private ReferralBusException tooLarge(String agency, int limit) {
        audit.record(AuditEvent.of(AuditEventType.REJECTED, null, agency).withDetail(ErrorCode.PAYLOAD_TOO_LARGE.code()));
        return new ReferralBusException(ErrorCode.PAYLOAD_TOO_LARGE, "Envelope exceeds " + limit + " bytes");
    }
}
