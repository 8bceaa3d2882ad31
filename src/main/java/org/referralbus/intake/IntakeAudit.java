package org.referralbus.intake;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.Flow;
import org.referralbus.core.Sha256;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/**
 * The intake's audit rows: RECEIVED (who delivered which envelope), OPENED (who signed it) and VALIDATED, appended
 * together in one transaction once the referral validated ({@link #admitted}), or RECEIVED and OPENED as far as the
 * envelope got, right before its REJECTED row ({@link RejectionAudit}). The rows, their order and their contents are
 * those of one append per step; they share one time stamp, and one head lock instead of three.
 */
@Component
public class IntakeAudit {

    private final AuditTrail audit;

    public IntakeAudit(AuditTrail audit) {
        this.audit = audit;
    }

    /** Flow step {@code audit-intake}, after validation: passes the referral on. */
    public Referral admitted(@Body Referral referral,
                             @ExchangeProperty(Flow.Properties.RAW_ENVELOPE) byte[] raw,
                             @ExchangeProperty(Flow.Properties.OPENED) OpenedEnvelope opened,
                             @Header(Flow.Headers.TLS_CLIENT) String tlsClient) {
        List<AuditEvent> events = new ArrayList<>(before(raw, opened, tlsClient));
        events.add(AuditEvent.of(AuditEventType.VALIDATED, referral.referralId(), opened.signerIdentity().id())
                .withEnvelope(opened.envelopeSha256()));
        audit.recordAll(events);
        return referral;
    }

    /**
     * RECEIVED, and OPENED if the envelope opened: the rows of a submission that did not reach {@link #admitted}.
     *
     * @param raw    the envelope as received, or null if the flow failed before keeping it
     * @param opened null if the envelope did not open (or its signer or sender did not check out)
     */
    static List<AuditEvent> before(byte[] raw, OpenedEnvelope opened, String tlsClient) {
        List<AuditEvent> events = new ArrayList<>();
        AuditEvent received = AuditEvent.of(AuditEventType.RECEIVED, null, tlsClient);
        events.add(raw == null ? received : received.withEnvelope(Sha256.hex(raw)));
        if (opened != null) {
            events.add(AuditEvent.of(AuditEventType.OPENED, null, opened.signerIdentity().id()).withEnvelope(opened.envelopeSha256()));
        }
        return events;
    }
}
