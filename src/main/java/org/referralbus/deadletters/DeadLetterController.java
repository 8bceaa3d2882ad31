package org.referralbus.deadletters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
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
 * redelivery once per message moved.
 */
@RestController
class DeadLetterController {

    private final DeadLetterQueues queues;
    private final AuditTrail audit;

    DeadLetterController(DeadLetterQueues queues, AuditTrail audit) {
        this.queues = queues;
        this.audit = audit;
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

    @PostMapping(path = "/api/v1/admin/dead-letters/{id}/redeliver", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, List<DeadLetter>> redeliverDeadLetter(@PathVariable String id, @AuthenticationPrincipal UserDetails admin) {
        DeadLetter moved = queues.redeliver(id).orElseThrow(DeadLetterController::notFound);
        audited(moved, admin);
        return Map.of("redelivered", List.of(moved));
    }

    @PostMapping(path = "/api/v1/admin/dead-letters/redeliver", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, List<DeadLetter>> redeliverAllDeadLetters(@AuthenticationPrincipal UserDetails admin) {
        List<DeadLetter> moved = new ArrayList<>();
        for (DeadLetter letter : queues.list()) {
            queues.redeliver(letter.id()).ifPresent(m -> {
                audited(m, admin);
                moved.add(m);
            });
        }
        return Map.of("redelivered", moved);
    }

    private void audited(DeadLetter moved, UserDetails admin) {
        audit.record(AuditEvent.of(AuditEventType.DEAD_LETTER_REDELIVERED, null, admin.getUsername())
                .withCounterpart(moved.origin())
                .withDetail("message=" + moved.id() + ";from=" + moved.queue()
                        + (moved.deliveryId() == null ? "" : ";delivery=" + moved.deliveryId())
                        + (moved.referralId() == null ? "" : ";referral=" + moved.referralId())));
    }

    private static ReferralBusException notFound() {
        return new ReferralBusException(ErrorCode.NOT_FOUND, "No dead letter has this id");
    }
}
