package org.referralbus.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import org.apache.camel.ProducerTemplate;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.dedupe.ReferralLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Entry into the reroute route for callers outside Camel (an acknowledgement over HTTPS, the deadline sweep, the
 * sweep of stranded re-routings). A re-routing is made due before it is tried ({@link PendingReroutes}), so its
 * failure is logged rather than passed on: the answer or escalation that made it due stands, and
 * {@link StrandedReroutes} tries again.
 */
@Component
class RerouteFlow {

    private static final Logger log = LoggerFactory.getLogger(RerouteFlow.class);

    private final ProducerTemplate flow;
    private final PendingReroutes pending;
    private final ReferralLedger referrals;
    private final Clock clock;
    private final MeterRegistry meters;

    RerouteFlow(ProducerTemplate flow, PendingReroutes pending, ReferralLedger referrals, Clock clock, MeterRegistry meters) {
        this.flow = flow;
        this.pending = pending;
        this.referrals = referrals;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * @return whether the needs moved on; if not, the failure is logged (ids and its kind only) and the re-routing stays
     *         due. A referral erased meanwhile cannot move on ever: its re-routing ends here, said once in the log.
     */
    boolean reroute(RerouteRequest request) {
        if (referrals.envelopeGone(request.sender(), request.referralId())) {
            log.warn("The needs {} of referral {} given up by delivery {} go to nobody: the referral was erased, so there is "
                    + "nothing to send; the coordinator arranges them by hand if still needed", request.services(),
                    request.referralId(), request.fromDelivery());
            pending.finished(request);
            return false;
        }
        Exception failure;
        try {
            failure = flow.send(Flow.Endpoints.REROUTE, exchange -> exchange.getIn().setBody(request)).getException();
        } catch (RuntimeException notRunning) { // the flow is starting or stopping: a template refuses before any route runs
            failure = notRunning;
        }
        if (failure == null) {
            return true;
        }
        String kind = failure instanceof ReferralBusException refused ? refused.errorCode().name() : failure.getClass().getSimpleName();
        Counter.builder("referralbus.reroutes.failed").description("attempts to re-route needs that failed, by kind")
                .tag("kind", kind).register(meters).increment();
        Duration nextTry;
        try {
            nextTry = pending.failed(request, OffsetDateTime.now(clock));
        } catch (RuntimeException databaseDown) { // then the sweep takes it a grace later: nothing is lost by waiting
            log.warn("Could not mark the re-routing of referral {} for the next sweep: {}", request.referralId(),
                    databaseDown.getClass().getSimpleName());
            nextTry = null;
        }
        // Once per attempt, and attempts back off (PendingReroutes.failed): a stuck one warns at 1, 2, 4… minutes, then daily.
        log.warn("Re-routing the needs {} of referral {} given up by delivery {} failed ({}); they stay due and the sweep of "
                + "stranded re-routings tries again{}", request.services(), request.referralId(), request.fromDelivery(), kind,
                nextTry == null ? "" : " in " + nextTry.truncatedTo(ChronoUnit.SECONDS));
        return false;
    }
}
