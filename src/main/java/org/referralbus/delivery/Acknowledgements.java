package org.referralbus.delivery;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.delivery.DeliveryLedger.DeliveryRow;
import org.referralbus.delivery.NeedLedger.NeedState;
import org.referralbus.routing.RegistryProperties;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.statistics.ReferralFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closes the loop: a provider accepts or declines a delivery; a declined need goes to the next eligible provider
 * or the coordinator; a missed deadline or a dead-lettered push hands the need to the coordinator. The needs move on
 * through the reroute route: a decline sends them there itself, an escalation returns the request to its caller.
 * An answer's or escalation's rows, its audit event and the re-routing it makes due commit together, so a failure
 * or crash before the needs have moved on leaves them due ({@link PendingReroutes}), never given up with no successor.
 */
@Component
public class Acknowledgements {

    public enum Decision { ACCEPTED, DECLINED }

    public enum DeclineReason { NO_CAPACITY, OUT_OF_AREA, NOT_ELIGIBLE, PERSON_UNREACHABLE, OTHER }

    private static final Logger log = LoggerFactory.getLogger(Acknowledgements.class);
    private static final Set<NeedState> OPEN = Set.of(NeedState.ROUTED, NeedState.DELIVERED);

    private final DeliveryLedger deliveries;
    private final NeedLedger needs;
    private final RerouteFlow rerouting;
    private final PendingReroutes pending;
    private final AuditTrail audit;
    private final RegistryProperties registry;
    private final ReferralFacts facts;
    private final Clock clock;
    private final TransactionTemplate transaction;

    Acknowledgements(DeliveryLedger deliveries, NeedLedger needs, RerouteFlow rerouting, PendingReroutes pending, AuditTrail audit,
                     RegistryProperties registry, ReferralFacts facts, Clock clock, PlatformTransactionManager transactions) {
        this.deliveries = deliveries;
        this.needs = needs;
        this.rerouting = rerouting;
        this.pending = pending;
        this.audit = audit;
        this.registry = registry;
        this.facts = facts;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * Records the provider's answer once; a repeated identical answer is accepted, a different one is a conflict.
     * A decline's needs then go to the next eligible provider; if that fails (the broker down, say), the decline
     * still stands and is answered as recorded: {@link StrandedReroutes} moves the needs on later.
     */
    public DeliveryRow acknowledge(DeliveryRow delivery, Decision decision, DeclineReason reason) {
        if (delivery.isCaseNotice()) { // accepted, it changed nothing but the statistics, and the provider believed it had answered
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Delivery " + delivery.deliveryId() + " is a case notice"
                    + " (rule case-notice): it owns no need and takes no answer; answer the referral's own copy, which your inbox lists");
        }
        Optional<RerouteRequest> due = transaction.execute(status -> recordAnswer(delivery, decision, reason));
        due.ifPresent(rerouting::reroute);
        return deliveries.find(delivery.deliveryId()).orElseThrow();
    }

    /** @return the needs a decline makes due for re-routing, if any */
    private Optional<RerouteRequest> recordAnswer(DeliveryRow delivery, Decision decision, DeclineReason reason) {
        DeliveryLedger.State state = decision == Decision.ACCEPTED ? DeliveryLedger.State.ACCEPTED : DeliveryLedger.State.DECLINED;
        String reasonCode = decision == Decision.DECLINED ? (reason == null ? DeclineReason.OTHER : reason).name() : null;
        OffsetDateTime now = OffsetDateTime.now(clock);
        if (!deliveries.acknowledge(delivery.deliveryId(), state, reasonCode, now)) {
            DeliveryRow current = deliveries.find(delivery.deliveryId()).orElseThrow();
            if (current.state() == state || state == DeliveryLedger.State.ACCEPTED && current.state() == DeliveryLedger.State.CLOSED) {
                return Optional.empty(); // the same answer again (an accepted case closed since was accepted): harmless
            }
            throw new ReferralBusException(ErrorCode.ACKNOWLEDGEMENT_CONFLICT,
                    "Delivery " + delivery.deliveryId() + " is already " + current.state());
        }
        NeedState needState = decision == Decision.ACCEPTED ? NeedState.ACCEPTED : NeedState.DECLINED;
        List<ServiceCode> services = needs.transition(delivery.deliveryId(), OPEN, needState, reasonCode);
        Optional<RerouteRequest> due = Optional.empty();
        if (decision == Decision.ACCEPTED) {
            facts.accepted(delivery.sender(), delivery.referralId(), now);
        } else {
            facts.declined(delivery.sender(), delivery.referralId(), now);
            if (!services.isEmpty()) {
                due = Optional.of(RerouteRequest.toNextProvider(delivery, services));
                pending.due(due.get(), now);
            }
        }
        // Last: the audit head stays locked only from here to the commit.
        audit.record(AuditEvent.of(decision == Decision.ACCEPTED ? AuditEventType.ACKNOWLEDGED : AuditEventType.DECLINED,
                        delivery.referralId(), delivery.providerId())
                .withDetail("delivery:" + delivery.deliveryId() + (reasonCode == null ? "" : ";reason:" + reasonCode)));
        return due;
    }

    /** The provider reports an accepted case closed: its capacity is free at once; a repeated close is accepted. */
    public DeliveryRow close(DeliveryRow delivery) {
        transaction.executeWithoutResult(status -> {
            if (!deliveries.close(delivery.deliveryId(), OffsetDateTime.now(clock))) {
                DeliveryRow current = deliveries.find(delivery.deliveryId()).orElseThrow();
                if (current.state() == DeliveryLedger.State.CLOSED) {
                    return;
                }
                throw new ReferralBusException(ErrorCode.ACKNOWLEDGEMENT_CONFLICT, "Delivery " + delivery.deliveryId() + " is "
                        + current.state() + ": only an accepted case can be closed");
            }
            needs.transition(delivery.deliveryId(), Set.of(NeedState.ACCEPTED), NeedState.CLOSED, null);
            audit.record(AuditEvent.of(AuditEventType.CLOSED, delivery.referralId(), delivery.providerId())
                    .withDetail("delivery:" + delivery.deliveryId()));
        });
        return deliveries.find(delivery.deliveryId()).orElseThrow();
    }

    /**
     * No answer in time, or the push could not be delivered: the coordinator takes the open needs.
     *
     * @return what to re-route; empty if the delivery was escalated already, had no open needs, or was the coordinator's
     */
    public Optional<RerouteRequest> escalate(String deliveryId, AuditEventType why, String reason) {
        return transaction.execute(status -> {
            DeliveryRow delivery = deliveries.find(deliveryId).orElseThrow();
            if (!deliveries.escalate(deliveryId, reason)) {
                return Optional.<RerouteRequest>empty();
            }
            List<ServiceCode> services = needs.transition(deliveryId, OPEN, NeedState.ESCALATED, reason);
            OffsetDateTime now = OffsetDateTime.now(clock);
            facts.escalated(delivery.sender(), delivery.referralId(), now);
            Optional<RerouteRequest> due = Optional.empty();
            if (!services.isEmpty() && !registry.coordinator().equals(delivery.providerId())) {
                due = Optional.of(RerouteRequest.toCoordinator(delivery, services, reason));
                pending.due(due.get(), now);
            }
            audit.record(AuditEvent.of(why, delivery.referralId(), audit.busActor()).withCounterpart(delivery.providerId())
                    .withDetail("delivery:" + deliveryId + ";reason:" + reason));
            log.info("Delivery {} of referral {} escalated to the coordinator: {}", deliveryId, delivery.referralId(), reason);
            return due;
        });
    }
}
