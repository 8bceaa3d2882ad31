package org.referralbus.intake;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ExchangeKeys;
import org.referralbus.core.ReferralBusException;
import org.springframework.stereotype.Component;

/**
 * Queue-intake step for a rejected envelope: puts the original sealed bytes back as the body (never the opened
 * content) and labels them with the error code, so nothing readable reaches the broker and nothing is lost.
 */
@Component
public class IntakeQueueRejection {

    public static final String ERROR_CODE = "referralBusErrorCode";

    public void park(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ErrorCode code = failure instanceof ReferralBusException rejected ? rejected.errorCode() : ErrorCode.INTERNAL_ERROR;
        Message message = exchange.getIn();
        message.removeHeaders("*");
        message.setHeader(ERROR_CODE, code.code());
        message.setBody(exchange.getProperty(ExchangeKeys.RAW_ENVELOPE, byte[].class));
    }
}
