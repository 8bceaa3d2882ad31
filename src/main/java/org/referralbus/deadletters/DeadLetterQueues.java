package org.referralbus.deadletters;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.referralbus.broker.QueueBrowsing;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.Sha256;
import org.springframework.stereotype.Component;

/**
 * The broker's parked messages, through the bus's own JMS connections (admins never touch the broker; listed to the
 * end with {@link QueueBrowsing}): the dead-letter queue, where the broker moves what it gave up redelivering, and
 * the intake's parked rejections.
 *
 * <p>Implementation note: a redelivery takes the message off its parking queue and sends a copy to its origin in one
 * transacted JMS session, so it is either moved or left where it was. The copy keeps the bus's id labels but not
 * Artemis's duplicate-detection id: the broker remembers that id from the first send and would silently drop the
 * copy. Message ids are checked against a strict pattern before they enter a selector.
 */
@Component
public class DeadLetterQueues {

    static final String EXHAUSTED = "delivery-attempts-exhausted";
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9a-fA-F-]{1,64}");
    private static final List<String> PARKING = List.of(Flow.Queues.DEAD_LETTERS, Flow.Queues.REFERRALS_INTAKE_REJECTED);
    private static final List<String> LABELS = List.of(Flow.Headers.DELIVERY_ID, Flow.Headers.PROVIDER_ID,
            Flow.Headers.REFERRAL_ID, Flow.Headers.SERVICES, Flow.Headers.CHANNEL);

    private final ConnectionFactory connections;
    private final QueueBrowsing browsing;

    public DeadLetterQueues(ConnectionFactory connections, QueueBrowsing browsing) {
        this.connections = connections;
        this.browsing = browsing;
    }

    /** Every parked message, metadata only, oldest first per queue. */
    public List<DeadLetter> list() {
        List<DeadLetter> all = new ArrayList<>();
        try (JMSContext context = browsing.createContext()) {
            for (String queue : PARKING) {
                try (QueueBrowser browser = context.createBrowser(context.createQueue(queue))) {
                    for (Object message : Collections.list(browser.getEnumeration())) {
                        all.add(describe(queue, (Message) message, false));
                    }
                }
            }
        } catch (JMSException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Cannot browse the dead letters", e);
        }
        return all;
    }

    /** One parked message, with the size and hash of its sealed body. */
    public Optional<DeadLetter> show(String id) {
        String selector = selector(id);
        try (JMSContext context = browsing.createContext()) {
            for (String queue : PARKING) {
                try (QueueBrowser browser = context.createBrowser(context.createQueue(queue), selector)) {
                    var messages = browser.getEnumeration();
                    if (messages.hasMoreElements()) {
                        return Optional.of(describe(queue, (Message) messages.nextElement(), true));
                    }
                }
            }
        } catch (JMSException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Cannot browse the dead letters", e);
        }
        return Optional.empty();
    }

    /** Moves the message back to its origin; empty if no such message is parked (any more). */
    public Optional<DeadLetter> redeliver(String id) {
        String selector = selector(id);
        for (String queue : PARKING) {
            try (JMSContext context = connections.createContext(JMSContext.SESSION_TRANSACTED);
                 JMSConsumer consumer = context.createConsumer(context.createQueue(queue), selector)) {
                Message message = consumer.receive(2_000);
                if (message == null) {
                    continue;
                }
                DeadLetter letter = describe(queue, message, false);
                if (letter.origin() == null) {
                    throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "This dead letter does not say where it came from");
                }
                Message copy = copy(context, message);
                context.createProducer().send(context.createQueue(letter.origin()), copy);
                context.commit();
                return Optional.of(letter);
            } catch (JMSException e) {
                throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Cannot redeliver the dead letter", e);
            }
        }
        return Optional.empty();
    }

    private static Message copy(JMSContext context, Message message) throws JMSException {
        Message copy;
        if (message instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            BytesMessage out = context.createBytesMessage();
            out.writeBytes(body);
            copy = out;
        } else if (message instanceof TextMessage text) {
            copy = context.createTextMessage(text.getText());
        } else {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "A dead letter of an unexpected message type");
        }
        for (String label : LABELS) {
            if (message.propertyExists(label)) {
                copy.setStringProperty(label, message.getStringProperty(label));
            }
        }
        return copy;
    }

    private static DeadLetter describe(String queue, Message message, boolean withBody) throws JMSException {
        boolean rejected = queue.equals(Flow.Queues.REFERRALS_INTAKE_REJECTED);
        String origin = rejected ? Flow.Queues.REFERRALS_INTAKE : firstOf(message, "_AMQ_ORIG_QUEUE", "_AMQ_ORIG_ADDRESS");
        String reason = rejected ? "rejected:" + message.getStringProperty(Flow.Headers.ERROR_CODE) : EXHAUSTED;
        long size = -1;
        String sha = null;
        if (withBody) {
            byte[] body = body(message);
            size = body.length;
            sha = Sha256.hex(body);
        }
        String id = message.getJMSMessageID() == null ? "none" : message.getJMSMessageID().replaceFirst("^ID:", "");
        return new DeadLetter(id, queue, origin, reason,
                Instant.ofEpochMilli(message.getJMSTimestamp()), message.getStringProperty(Flow.Headers.REFERRAL_ID),
                message.getStringProperty(Flow.Headers.DELIVERY_ID), size, sha);
    }

    private static byte[] body(Message message) throws JMSException {
        if (message instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            bytes.reset();
            return body;
        }
        if (message instanceof TextMessage text) {
            return text.getText() == null ? new byte[0] : text.getText().getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }

    private static String firstOf(Message message, String... properties) throws JMSException {
        for (String property : properties) {
            Object value = message.getObjectProperty(property);
            if (value != null) {
                return value.toString();
            }
        }
        return null;
    }

    private static String selector(String id) {
        if (id == null || !MESSAGE_ID.matcher(id).matches()) {
            throw new ReferralBusException(ErrorCode.NOT_FOUND, "No dead letter has this id");
        }
        return "JMSMessageID = 'ID:" + id + "'";
    }
}
