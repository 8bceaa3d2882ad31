package org.referralbus.audit;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.security.Principal;
import java.time.OffsetDateTime;
import java.util.List;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The auditor API over mutual TLS: only certificates with OU=auditor reach it (see SecurityConfiguration). */
@RestController
@RequestMapping("/api/v1/audit")
class AuditorApiController {

    static final int MAX_PAGE_SIZE = 500;

    private final AuditQueries queries;
    private final AuditExport export;
    private final AuditChainVerifier verifier;
    private final AuditorQueryLog queryLog;

    AuditorApiController(AuditQueries queries, AuditExport export, AuditChainVerifier verifier, AuditorQueryLog queryLog) {
        this.queries = queries;
        this.export = export;
        this.verifier = verifier;
        this.queryLog = queryLog;
    }

    @GetMapping("/events")
    AuditQueries.Page events(Principal auditor,
                             @RequestParam(required = false) String referralId,
                             @RequestParam(required = false) String participant,
                             @RequestParam(required = false) String type,
                             @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime from,
                             @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) OffsetDateTime to,
                             // null when not given, to tell page=0 with after from after alone; 0 is still its default
                             @RequestParam(required = false)
                             @Parameter(schema = @Schema(implementation = Integer.class, defaultValue = "0")) Integer page,
                             @RequestParam(required = false) @Parameter(description = AFTER) Long after,
                             @RequestParam(defaultValue = "50") int size) {
        if (page != null && after != null) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "page and after do not go together: ask for page=N "
                    + "(counted from the first match, with the total) or after=SEQ (the matches after that seq), not both");
        }
        if (after != null && (after < 0 || size < 1 || size > MAX_PAGE_SIZE)) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "after >= 0 and 1 <= size <= " + MAX_PAGE_SIZE);
        }
        int number = page == null ? 0 : page;
        if (number < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "page >= 0 and 1 <= size <= " + MAX_PAGE_SIZE);
        }
        AuditFilter filter = new AuditFilter(referralId, participant, type, from, to);
        AuditQueries.Page result = after == null ? queries.events(filter, number, size) : queries.eventsAfter(filter, after, size);
        String paging = after == null ? ";page=" + number : ";after=" + after;
        queryLog.queried(auditor.getName(), "events:" + filter.describe(queryLog::recordable) + paging + ";size=" + size,
                filter.referralId());
        return result;
    }

    private static final String AFTER = "Keyset paging: the events with a seq greater than this, in seq order, size of them, "
            + "without the total. Start with 0 (or with a numbered page), then pass each answer's nextAfter until it is null. "
            + "Not with page.";

    @GetMapping("/referrals/{referralId}")
    ReferralStory referral(Principal auditor, @PathVariable String referralId) {
        String asStored = AuditQueries.asStored(referralId);
        List<AuditRecord> events = queries.story(asStored);
        queryLog.queried(auditor.getName(), "referral", asStored);
        return new ReferralStory(asStored, events);
    }

    /** One referral's whole trail, in seq order. */
    record ReferralStory(String referralId, List<AuditRecord> events) {
    }

    @GetMapping("/verify")
    ChainVerification verify(Principal auditor) {
        ChainVerification result = verifier.verify();
        queryLog.queried(auditor.getName(), "verify", null);
        return result;
    }

    @GetMapping("/export")
    ResponseEntity<byte[]> export(Principal auditor, @RequestParam(required = false) Long fromSeq,
                                  @RequestParam(required = false) Long toSeq) {
        return export.export(auditor.getName(), fromSeq, toSeq);
    }

    @GetMapping("/export.sig")
    ResponseEntity<byte[]> exportSignature(Principal auditor, @RequestParam(required = false) Long fromSeq,
                                           @RequestParam(required = false) Long toSeq) {
        return export.signature(auditor.getName(), fromSeq, toSeq);
    }
}
