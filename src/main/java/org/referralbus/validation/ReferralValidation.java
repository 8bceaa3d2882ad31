package org.referralbus.validation;

import java.time.Clock;
import org.apache.camel.Exchange;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ExchangeKeys;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.ReplayWindow;
import org.referralbus.envelope.OpenedEnvelope;
import org.springframework.stereotype.Component;

/**
 * Flow step: validate and bind the opened XML, check that the declared sender is the signer, and that
 * {@code createdAt} lies inside the replay window (a captured envelope cannot be replayed months later).
 */
@Component
public class ReferralValidation {

    private final ReferralReader reader;
    private final AuditTrail audit;
    private final ReplayWindow replayWindow;
    private final Clock clock;

    public ReferralValidation(ReferralReader reader, AuditTrail audit, ReplayWindow replayWindow, Clock clock) {
        this.reader = reader;
        this.audit = audit;
        this.replayWindow = replayWindow;
        this.clock = clock;
    }

    public void validate(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        OpenedEnvelope opened = exchange.getProperty(ExchangeKeys.OPENED, OpenedEnvelope.class);
        Referral referral = reader.read(exchange.getIn().getMandatoryBody(byte[].class));
        String signer = opened.signerIdentity().id();
        if (!referral.sender().equals(signer)) {
            throw new ReferralBusException(ErrorCode.SIGNER_MISMATCH,
                    "Referral " + referral.referralId() + " declares sender " + referral.sender() + " but is signed by " + signer);
        }
        if (!replayWindow.admits(referral.createdAt(), clock.instant())) {
            throw new ReferralBusException(ErrorCode.STALE_REFERRAL, "Referral " + referral.referralId()
                    + " has createdAt outside [now - " + replayWindow.past() + ", now + " + replayWindow.future() + "]");
        }
        audit.record(AuditEvent.of(AuditEventType.VALIDATED, referral.referralId(), signer)
                .withEnvelope(opened.envelopeSha256()));
        exchange.setProperty(ExchangeKeys.REFERRAL, referral);
        exchange.getIn().setBody(null);
    }
}
