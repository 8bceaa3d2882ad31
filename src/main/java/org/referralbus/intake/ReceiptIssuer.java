package org.referralbus.intake;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.dedupe.Receipt;
import org.referralbus.dedupe.ReferralLedger;
import org.referralbus.dedupe.StoredReferral;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Last step of the flow: the signed receipt. The JSON is built once, signed (detached CMS by the bus key) and
 * stored; whatever is stored first is what every later answer for this referral returns, byte for byte.
 */
@Component
public class ReceiptIssuer {

    static final String STATUS_ROUTED = "ROUTED";

    private final EnvelopeSealer busSealer;
    private final ReferralLedger ledger;
    private final JsonMapper json;

    public ReceiptIssuer(EnvelopeSealer busSealer, ReferralLedger ledger, JsonMapper json) {
        this.busSealer = busSealer;
        this.ledger = ledger;
        this.json = json;
    }

    public Receipt issue(@ExchangeProperty(Flow.Properties.REFERRAL) Referral referral,
                         @ExchangeProperty(Flow.Properties.OPENED) OpenedEnvelope opened,
                         @ExchangeProperty(Flow.Properties.RECEIVED_AT) OffsetDateTime receivedAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("referralId", referral.referralIdAsSent()); // as the agency wrote it: it matches its own string
        body.put("sender", referral.sender());
        body.put("status", STATUS_ROUTED);
        body.put("receivedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                receivedAt.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
        body.put("envelopeSha256", opened.envelopeSha256());
        byte[] receiptJson = json.writeValueAsBytes(body);
        ledger.markRouted(referral.sender(), referral.referralId(), new Receipt(receiptJson, busSealer.signDetached(receiptJson)));
        return ledger.find(referral.sender(), referral.referralId())
                .flatMap(StoredReferral::receipt)
                .orElseThrow(() -> new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Receipt not stored"));
    }
}
