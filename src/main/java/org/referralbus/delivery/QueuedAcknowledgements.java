package org.referralbus.delivery;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.referralbus.audit.AuditEvent;
import org.referralbus.audit.AuditEventType;
import org.referralbus.audit.AuditTrail;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.RepeatedMembers;
import org.referralbus.core.Uuids;
import org.referralbus.delivery.DeliveryLedger.DeliveryRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Steps of the acknowledge-from-queue route: a QUEUE provider's answer sent over AMQP to {@code acknowledgements.<its
 * id>}, a small JSON object {@code {"deliveryId": "…", "decision": "ACCEPTED" | "DECLINED" | "CLOSED", "reason": "…"}}.
 * The provider is the queue's ({@link Flow.Headers#PROVIDER_ID}, set by the bus from the queue the broker let only it
 * send to); nothing in the message says who sent it. The answer then takes the HTTPS inbox's own path
 * ({@link ProviderAnswers}): same checks, decisions, reasons, re-routing and audit.
 */
@Component
public class QueuedAcknowledgements {

    /** Far more than any acknowledgement needs; a larger body is refused unread. */
    static final int MAX_BODY_BYTES = 4096;
    static final String CLOSED = "CLOSED";
    private static final Set<String> FIELDS = Set.of("deliveryId", "decision", "reason");
    private static final Logger log = LoggerFactory.getLogger(QueuedAcknowledgements.class);

    private final ProviderAnswers answers;
    private final AuditTrail audit;
    private final JsonMapper json;

    QueuedAcknowledgements(ProviderAnswers answers, AuditTrail audit, JsonMapper json) {
        this.answers = answers;
        this.audit = audit;
        this.json = json;
    }

    /** Applies the provider's answer; a refusal throws with its code (the route parks the message). */
    public void answer(@Header(Flow.Headers.PROVIDER_ID) String providerId, @Body byte[] body) {
        JsonNode message = read(body);
        String deliveryId = text(message, "deliveryId", true);
        String decision = text(message, "decision", true);
        String reason = text(message, "reason", false);
        DeliveryRow after;
        if (CLOSED.equalsIgnoreCase(decision)) {
            if (reason != null) {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "A CLOSED acknowledgement takes no reason");
            }
            after = answers.close(providerId, deliveryId);
        } else {
            after = answers.acknowledge(providerId, deliveryId, decision, reason);
        }
        log.info("Acknowledgement over AMQP from {}: delivery {} is {}", providerId, after.deliveryId(), after.state());
    }

    /**
     * Audits a refused acknowledgement (actor: the queue's provider; detail: the code and, if it is one, the delivery
     * id) and returns the code the route labels the parked message with. An internal failure is not a refusal: it is
     * thrown again, so the transaction rolls back and the broker redelivers.
     */
    public String refused(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure,
                          @Header(Flow.Headers.PROVIDER_ID) String providerId, @Body byte[] body) {
        ErrorCode code = ReferralBusException.codeOf(failure);
        if (code == ErrorCode.INTERNAL_ERROR) {
            throw failure instanceof ReferralBusException internal ? internal
                    : new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Acknowledgement from " + providerId + " failed", failure);
        }
        String deliveryId = claimedDeliveryId(body);
        audit.record(AuditEvent.of(AuditEventType.REJECTED, null, providerId)
                .withDetail(code.code() + ";acknowledgement:amqp" + (deliveryId == null ? "" : ";delivery:" + deliveryId)));
        log.info("Refused an acknowledgement over AMQP: code={} provider={} delivery={}", code.code(), providerId, deliveryId);
        return code.code();
    }

    private JsonNode read(byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_BODY_BYTES) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST,
                    "An acknowledgement is a JSON object of at most " + MAX_BODY_BYTES + " bytes");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            JsonNode message = json.readTree(text);
            if (message == null || !message.isObject()) {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "An acknowledgement is a JSON object");
            }
            for (String field : message.propertyNames()) {
                if (!FIELDS.contains(field)) {
                    throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "An acknowledgement has only deliveryId, decision and reason");
                }
            }
            if (RepeatedMembers.in(json, text)) {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "An acknowledgement names a member twice; send each once");
            }
            return message;
        } catch (CharacterCodingException | JacksonException e) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "An acknowledgement is a JSON object in UTF-8");
        }
    }

    private static String text(JsonNode message, String field, boolean required) {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "An acknowledgement needs " + field);
            }
            return null;
        }
        if (!value.isString()) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, field + " must be a string");
        }
        return value.stringValue();
    }

    /** The delivery id the body names, if it is well-formed and the body parses; otherwise null. */
    private String claimedDeliveryId(byte[] body) {
        try {
            String id = text(read(body), "deliveryId", false);
            // Delivery ids are UUIDs: only such a value is repeated in the trail or the log.
            return Uuids.canonical(id) ? id : null;
        } catch (ReferralBusException e) {
            return null;
        }
    }
}
