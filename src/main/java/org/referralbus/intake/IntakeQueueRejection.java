package org.referralbus.intake;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.referralbus.core.Causes;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.RetryLaterException;
import org.springframework.stereotype.Component;

/**
 * Queue-intake step for a rejected envelope: the label it is parked with. The route puts the original sealed
 * bytes back as the body (never the opened content), so nothing readable reaches the broker and nothing is lost.
 */
@Component
public class IntakeQueueRejection {

    /**
     * Whether the failure refuses the envelope (parked as rejected) rather than asking to come back later: a referral
     * still in progress elsewhere ({@link RetryLaterException}) is not caught, so the transacted intake rolls back and
     * the broker redelivers the message. Bound to the exchange's exception.
     */
    public boolean refuses(Exception failure) {
        return Causes.find(failure, RetryLaterException.class).isEmpty();
    }

    /** The error code agencies would have got over HTTPS, e.g. {@code schema_violation}. */
    public String errorCode(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        return ReferralBusException.codeOf(failure).code();
    }
}
