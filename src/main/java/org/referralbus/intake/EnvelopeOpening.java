package org.referralbus.intake;

import org.apache.camel.Exchange;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ExchangeKeys;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.Sha256;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.participants.AgencyRegistry;
import org.springframework.stereotype.Component;

/**
 * First step of the flow: open the sealed envelope, check that the signer is a registered agency and that whoever
 * delivered it also signed it.
 */
@Component
public class EnvelopeOpening {

    private final EnvelopeOpener opener;
    private final AuditTrail audit;
    private final AgencyRegistry agencies;

    public EnvelopeOpening(EnvelopeOpener opener, AuditTrail audit, AgencyRegistry agencies) {
        this.opener = opener;
        this.audit = audit;
        this.agencies = agencies;
    }

    public void open(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        byte[] raw = exchange.getIn().getMandatoryBody(byte[].class);
        String tlsClient = exchange.getIn().getHeader(ExchangeKeys.TLS_CLIENT, String.class);
        audit.record(AuditEvent.of(AuditEventType.RECEIVED, null, tlsClient).withEnvelope(Sha256.hex(raw)));
        OpenedEnvelope opened = opener.open(raw);
        String signer = opened.signerIdentity().id();
        if (!agencies.admits(opened.signerIdentity())) {
            // Matters for the queue intake, where no TLS client was checked: only registered agencies sign referrals.
            throw new ReferralBusException(ErrorCode.FORBIDDEN, "Signer " + signer + " is not a registered agency");
        }
        if (tlsClient != null && !tlsClient.equals(signer)) {
            throw new ReferralBusException(ErrorCode.SIGNER_MISMATCH,
                    "TLS client " + tlsClient + " submitted an envelope signed by " + signer);
        }
        audit.record(AuditEvent.of(AuditEventType.OPENED, null, signer).withEnvelope(opened.envelopeSha256()));
        exchange.setProperty(ExchangeKeys.OPENED, opened);
        exchange.getIn().setHeader(ExchangeKeys.ENVELOPE_SHA256, opened.envelopeSha256());
        exchange.getIn().setBody(opened.content());
    }
}
