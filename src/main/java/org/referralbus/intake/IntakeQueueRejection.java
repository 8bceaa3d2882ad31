package org.referralbus.intake;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.referralbus.core.ReferralBusException;
import org.springframework.stereotype.Component;

/**
 * Queue-intake step for a rejected envelope: the label it is parked with. The route puts the original sealed
 * bytes back as the body (never the opened content), so nothing readable reaches the broker and nothing is lost.
 */
@Component
public class IntakeQueueRejection {

    /** The error code agencies would have got over HTTPS, e.g. {@code schema_violation}. */
    public String errorCode(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure) {
        return ReferralBusException.codeOf(failure).code();
    }
}
