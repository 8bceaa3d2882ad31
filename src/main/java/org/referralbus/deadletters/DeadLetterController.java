package org.referralbus.deadletters;

import java.util.List;
import java.util.Map;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.RefusalsAuditedHere;
import org.referralbus.core.Uuids;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin's view of the broker's parked messages ({@code referral-bus.jar admin dead-letters ...} calls it over
 * mutual TLS; admins only). Metadata only, never content. Every call is audited with the admin as actor, a
 * redelivery once per message moved, a refused one ({@code REJECTED}) naming the dead letter when the bus found it.
 */
@RestController
class DeadLetterController {

    private static final String ONE = "/api/v1/admin/dead-letters/{id}/redeliver";
    private static final String ALL = "/api/v1/admin/dead-letters/redeliver";

    private final DeadLetterQueues queues;
    private final AuditTrail audit;
    private final RefusalTally refusals;

    DeadLetterController(DeadLetterQueues queues, AuditTrail audit, RefusalTally refusals) {
        this.queues = queues;
        this.audit = audit;
        this.refusals = refusals;
    }

    @GetMapping(path = "/api/v1/admin/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, List<DeadLetter>> listDeadLetters(@AuthenticationPrincipal UserDetails admin) {
        List<DeadLetter> letters = queues.list();
        audit.record(AuditEvent.of(AuditEventType.DEAD_LETTERS_VIEWED, null, admin.getUsername())
                .withDetail("list;count=" + letters.size()));
        return Map.of("deadLetters", letters);
    }

    @GetMapping(path = "/api/v1/admin/dead-letters/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    DeadLetter showDeadLetter(@PathVariable String id, @AuthenticationPrincipal UserDetails admin) {
        DeadLetter letter = queues.show(id).orElseThrow(DeadLetterController::notFound);
        audit.record(AuditEvent.of(AuditEventType.DEAD_LETTERS_VIEWED, null, admin.getUsername())
                .withCounterpart(letter.queue()).withDetail("show;message=" + letter.id()));
        return letter;
    }

    @PostMapping(path = ONE, produces = MediaType.APPLICATION_JSON_VALUE)
    @RefusalsAuditedHere // with the dead letter named, when the bus found it
    Map<String, List<DeadLetter>> redeliverDeadLetter(@PathVariable String id, @AuthenticationPrincipal UserDetails admin) {
        try {
            DeadLetter moved = queues.redeliver(id).orElseThrow(DeadLetterController::notFound);
            audited(moved, admin);
            return Map.of("redelivered", List.of(moved));
        } catch (DeadLetterQueues.Refusal refused) {
            refused(admin, refused.errorCode().code(), ONE, refused.deadLetter());
            throw refused;
        } catch (ReferralBusException refused) {
            if (refused.errorCode().httpStatus() < 500) { // a failure of the bus is not the admin's refusal
                refused(admin, refused.errorCode().code(), ONE, null);
            }
            throw refused;
        }
    }

    /** Oldest first; a refused one stays parked and is named in the answer and the trail, and the others still go. */
    @PostMapping(path = ALL, produces = MediaType.APPLICATION_JSON_VALUE)
    Redelivery redeliverAllDeadLetters(@AuthenticationPrincipal UserDetails admin) {
        Redelivery outcome = queues.redeliverAll();
        outcome.redelivered().forEach(moved -> audited(moved, admin));
        outcome.notRedelivered().stream().filter(left -> !left.code().equals(ErrorCode.INTERNAL_ERROR.code()))
                .forEach(refused -> refused(admin, refused.code(), ALL, refused.deadLetter()));
        return outcome;
    }

    private void audited(DeadLetter moved, UserDetails admin) {
        audit.record(AuditEvent.of(AuditEventType.DEAD_LETTER_REDELIVERED, null, admin.getUsername())
                .withCounterpart(moved.origin()).withDetail(named(moved)));
    }

    /**
     * A refused redelivery, {@code REJECTED} counted per window like every refusal a caller can repeat at will: detail
     * {@code <code>;POST <endpoint>}, and the dead letter as in its redelivery row when the bus found it. Not for a
     * failure of the bus.
     */
    private void refused(UserDetails admin, String code, String endpoint, DeadLetter letter) {
        AuditEvent row = AuditEvent.of(AuditEventType.REJECTED, null, admin.getUsername());
        refusals.count(letter == null ? row.withDetail(code + ";POST " + endpoint)
                : row.withCounterpart(letter.origin()).withDetail(code + ";POST " + endpoint + ";" + named(letter)));
    }

    /**
     * The dead letter by its ids, never its content. Whoever sent a parked message chose its labels (an agency's
     * gateway on the queue intake may set any), so only ids shaped like ids are written; the rest is left out.
     */
    private static String named(DeadLetter letter) {
        return "message=" + (ParkedMessages.isMessageId(letter.id()) ? letter.id() : "(not an id)") + ";from=" + letter.queue()
                + (Uuids.canonical(letter.deliveryId()) ? ";delivery=" + letter.deliveryId() : "")
                + (Uuids.canonical(letter.referralId()) ? ";referral=" + letter.referralId() : "");
    }

    private static ReferralBusException notFound() {
        return new ReferralBusException(ErrorCode.NOT_FOUND, "No dead letter has this id");
    }
}
