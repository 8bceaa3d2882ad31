package org.referralbus.intake;

import org.referralbus.broker.BrokerLayout;
import org.referralbus.core.Flow;
import org.springframework.stereotype.Component;

/**
 * Queue intake step: who put the envelope on the queue, as the broker authenticated it by certificate and stamped it
 * on the message ({@link Flow.Headers#VALIDATED_USER}, overwriting whatever the sender wrote there). The envelope must
 * then be signed by that agency, as on the HTTPS intake. The bus's own connections have no participant.
 */
@Component
public class ValidatedSender {

    /** @return the authenticated participant's id, or null for the bus itself */
    public String participant(String validatedUser) {
        return validatedUser == null || BrokerLayout.BUS_USER.equals(validatedUser) ? null : validatedUser;
    }
}
