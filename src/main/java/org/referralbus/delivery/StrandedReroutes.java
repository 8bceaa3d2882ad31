package org.referralbus.delivery;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.referralbus.schema.referral.ServiceCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Finishes re-routings that a failure or crash interrupted: a decline or escalation made them due in its own
 * transaction, but the needs never reached the next provider or the coordinator (the broker was down, the bus was
 * killed in between). Runs as often as the deadline check and takes what has been due for longer than
 * {@code referral-bus.delivery.reroute-grace} (1 minute), so it does not race the re-routing the answer itself is
 * running, and what an attempt failed on once its wait is over ({@link PendingReroutes#failed}: doubling, at most a
 * day). Each is claimed first, so several bus instances sweeping at once do not both send it; a failure is logged.
 */
@Component
class StrandedReroutes {

    private static final Logger log = LoggerFactory.getLogger(StrandedReroutes.class);

    private final PendingReroutes pending;
    private final NeedLedger needs;
    private final RerouteFlow rerouting;
    private final Clock clock;

    StrandedReroutes(PendingReroutes pending, NeedLedger needs, RerouteFlow rerouting, Clock clock) {
        this.pending = pending;
        this.needs = needs;
        this.rerouting = rerouting;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${referral-bus.delivery.escalation-check:1m}", initialDelayString = "${referral-bus.delivery.escalation-check:1m}")
    void rerouteStranded() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        for (PendingReroutes.Stranded stranded : pending.toTry(now)) {
            if (!pending.claim(stranded, now)) {
                continue; // another instance took it
            }
            RerouteRequest due = stranded.request();
            List<ServiceCode> handedOn = needs.handedOnFrom(due.sender(), due.referralId(), due.fromDelivery());
            Map<Boolean, List<ServiceCode>> movedOn = due.services().stream().collect(Collectors.partitioningBy(handedOn::contains));
            if (!movedOn.get(true).isEmpty()) {
                pending.finished(due.withServices(movedOn.get(true))); // only the route's last step was cut off
            }
            if (movedOn.get(false).isEmpty()) {
                continue;
            }
            RerouteRequest request = due.withServices(movedOn.get(false));
            log.info("Re-routing the needs {} of referral {} given up by delivery {}, due since {}: an earlier attempt failed or was interrupted",
                    request.services(), request.referralId(), request.fromDelivery(), stranded.since());
            rerouting.reroute(request);
        }
    }
}
