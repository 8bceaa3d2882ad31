package org.referralbus.intake;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.validation.Referral;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Error-policy step: every rejected submission leaves one REJECTED row with its error code, and one log line of ids. */
@Component
public class RejectionAudit {

    private static final Logger log = LoggerFactory.getLogger(RejectionAudit.class);

    private final AuditTrail audit;

    public RejectionAudit(AuditTrail audit) {
        this.audit = audit;
    }

    /**
     * @param raw      the envelope as received (null if the flow failed before keeping it)
     * @param opened   null if the envelope did not open
     * @param referral null if it did not validate, and then its intake rows are not written yet: they are written
     *                 here, before the REJECTED row, in one transaction with it
     */
    public void record(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure,
                       @ExchangeProperty(Flow.Properties.RAW_ENVELOPE) byte[] raw,
                       @ExchangeProperty(Flow.Properties.OPENED) OpenedEnvelope opened,
                       @ExchangeProperty(Flow.Properties.REFERRAL) Referral referral,
                       @Header(Flow.Headers.TLS_CLIENT) String tlsClient) {
        ErrorCode code = ReferralBusException.codeOf(failure);
        String actor = opened != null ? opened.signerIdentity().id() : tlsClient;
        String referralId = referral != null ? referral.referralId()
                : failure instanceof ReferralBusException refused ? refused.referralId().orElse(null) : null;
        String envelope = opened != null ? opened.envelopeSha256() : null;
        List<AuditEvent> events = new ArrayList<>(referral == null ? IntakeAudit.before(raw, opened, tlsClient) : List.of());
        events.add(AuditEvent.of(AuditEventType.REJECTED, referralId, actor).withEnvelope(envelope).withDetail(code.code()));
        audit.recordAll(events);
        log.info("Rejected submission: code={} actor={} referralId={} envelopeSha256={}", code.code(), actor, referralId, envelope);
    }
}
