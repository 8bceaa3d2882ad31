package org.referralbus.intake;

import org.apache.camel.Exchange;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ExchangeKeys;
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

    public void record(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ErrorCode code = failure instanceof ReferralBusException rejected ? rejected.errorCode() : ErrorCode.INTERNAL_ERROR;
        OpenedEnvelope opened = exchange.getProperty(ExchangeKeys.OPENED, OpenedEnvelope.class);
        Referral referral = exchange.getProperty(ExchangeKeys.REFERRAL, Referral.class);
        String actor = opened != null ? opened.signerIdentity().id()
                : exchange.getIn().getHeader(ExchangeKeys.TLS_CLIENT, String.class);
        String referralId = referral != null ? referral.referralId() : null;
        String envelope = opened != null ? opened.envelopeSha256() : null;
        audit.record(AuditEvent.of(AuditEventType.REJECTED, referralId, actor).withEnvelope(envelope).withDetail(code.code()));
        log.info("Rejected submission: code={} actor={} referralId={} envelopeSha256={}", code.code(), actor, referralId, envelope);
    }
}
