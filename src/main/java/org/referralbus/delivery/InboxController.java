package org.referralbus.delivery;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.delivery.DeliveryLedger.DeliveryRow;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The provider's HTTPS inbox. The caller is the provider named in its client certificate; another provider's
 * delivery is answered exactly like one that does not exist (404), so ids cannot be probed.
 */
@RestController
class InboxController {

    /** @param rule the routing rules that chose the provider; {@code case-notice} for a copy that takes no answer */
    record InboxEntry(String deliveryId, String referralId, List<String> services, String urgency, OffsetDateTime deliveredAt,
                      String rule) {
    }

    record AckRequest(String decision, String reason) {
    }

    private final DeliveryLedger deliveries;
    private final ProviderAnswers answers;
    private final AuditTrail audit;
    private final Clock clock;

    InboxController(DeliveryLedger deliveries, ProviderAnswers answers, AuditTrail audit, Clock clock) {
        this.deliveries = deliveries;
        this.answers = answers;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping(path = "/api/v1/inbox", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, List<InboxEntry>> list(@AuthenticationPrincipal UserDetails provider) {
        return Map.of("deliveries", deliveries.pendingFor(provider.getUsername()).stream()
                .map(d -> new InboxEntry(d.deliveryId(), d.referralId(), d.services(), d.urgency(), d.createdAt(), d.rule()))
                .toList());
    }

    @GetMapping(path = "/api/v1/inbox/{deliveryId}", produces = "application/pkcs7-mime")
    ResponseEntity<byte[]> fetch(@PathVariable String deliveryId, @AuthenticationPrincipal UserDetails provider) {
        DeliveryRow delivery = owned(deliveryId, provider);
        byte[] sealed = deliveries.sealedEnvelope(deliveryId).orElseThrow(() -> new ReferralBusException(ErrorCode.NOT_FOUND,
                "This delivery's sealed copy is no longer kept (retention or erasure): ask the coordinator, or, for the"
                        + " coordinator's own copy, the agency that sent the referral"));
        deliveries.markFetched(deliveryId, OffsetDateTime.now(clock));
        audit.record(AuditEvent.of(AuditEventType.FETCHED, delivery.referralId(), provider.getUsername())
                .withDetail("delivery:" + deliveryId));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/pkcs7-mime"))
                .header("Content-Disposition", "attachment; filename=\"" + deliveryId + ".p7m\"")
                .body(sealed);
    }

    @PostMapping(path = "/api/v1/inbox/{deliveryId}/ack", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, String> acknowledge(@PathVariable String deliveryId, @RequestBody AckRequest request,
                                    @AuthenticationPrincipal UserDetails provider) {
        DeliveryRow after = answers.acknowledge(provider.getUsername(), deliveryId, request.decision(), request.reason());
        return Map.of("deliveryId", after.deliveryId(), "state", after.state().name());
    }

    @PostMapping(path = "/api/v1/inbox/{deliveryId}/close", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, String> close(@PathVariable String deliveryId, @AuthenticationPrincipal UserDetails provider) {
        DeliveryRow after = answers.close(provider.getUsername(), deliveryId);
        return Map.of("deliveryId", after.deliveryId(), "state", after.state().name());
    }

    private DeliveryRow owned(String deliveryId, UserDetails provider) {
        return answers.owned(provider.getUsername(), deliveryId);
    }
}
