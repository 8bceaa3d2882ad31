package org.referralbus.validation;

import org.apache.camel.Exchange;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.intake.ExchangeKeys;
import org.referralbus.system.ErrorCode;
import org.referralbus.system.ReferralBusException;
import org.springframework.stereotype.Component;

/** Flow step: validate and bind the opened XML, and check that the declared sender is the signer. */
@Component
public class ReferralValidation {

    private final ReferralReader reader;
    private final AuditTrail audit;

    public ReferralValidation(ReferralReader reader, AuditTrail audit) {
        this.reader = reader;
        this.audit = audit;
    }

    public void validate(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        OpenedEnvelope opened = exchange.getProperty(ExchangeKeys.OPENED, OpenedEnvelope.class);
        Referral referral = reader.read(exchange.getIn().getMandatoryBody(byte[].class));
        String signer = opened.signerIdentity().id();
        if (!referral.sender().equals(signer)) {
            throw new ReferralBusException(ErrorCode.SIGNER_MISMATCH,
                    "Referral " + referral.referralId() + " declares sender " + referral.sender() + " but is signed by " + signer);
        }
        audit.record(AuditEvent.of(AuditEventType.VALIDATED, referral.referralId(), signer)
                .withEnvelope(opened.envelopeSha256()));
        exchange.setProperty(ExchangeKeys.REFERRAL, referral);
        exchange.getIn().setBody(null);
    }
}
