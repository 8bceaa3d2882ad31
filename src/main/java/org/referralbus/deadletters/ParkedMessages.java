package org.referralbus.deadletters;

import jakarta.jms.BytesMessage;
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

/**
 * Reads the parking queues for {@link DeadLetterQueues} by browsing ({@link QueueBrowsing}), which reads a queue's page
 * files too and keeps nothing in the broker's memory: a whole queue, one message by its id, or what waits ahead of one.
 * Metadata only, except the size and hash of a body that {@code show} asks for.
 */
class ParkedMessages {

    static final String EXHAUSTED = "delivery-attempts-exhausted";
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9a-fA-F-]{1,64}");

    private final QueueBrowsing browsing;
    private final List<String> queues;

    ParkedMessages(QueueBrowsing browsing, List<String> queues) {
        this.browsing = browsing;
        this.queues = queues;
    }

    /** Browses for it, which reads the page files too: found wherever it waits. */
    Optional<DeadLetter> find(String id, boolean withBody) {
        String selector = selector(id);
        try (JMSContext context = browsing.createContext()) {
            for (String queue : queues) {
                try (QueueBrowser browser = context.createBrowser(context.createQueue(queue), selector)) {
                    var messages = browser.getEnumeration();
                    if (messages.hasMoreElements()) {
                        return Optional.of(describe(queue, (Message) messages.nextElement(), withBody));
                    }
                }
            }
        } catch (JMSException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Cannot browse the dead letters", e);
        }
        return Optional.empty();
    }

    /** A parked message as browsed, with its body's size: what it adds ahead of the next ones if it stays. */
    record Parked(DeadLetter letter, long bodyBytes) {
    }

    /** One browse of {@code queue} to its end, which reads the page files too: oldest first. */
    List<Parked> browse(String queue) {
        List<Parked> parked = new ArrayList<>();
        try (JMSContext context = browsing.createContext();
             QueueBrowser browser = context.createBrowser(context.createQueue(queue))) {
            for (Object message : Collections.list(browser.getEnumeration())) {
                parked.add(new Parked(describe(queue, (Message) message, false), bodyLength((Message) message)));
            }
        } catch (JMSException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Cannot browse the dead letters", e);
        }
        return parked;
    }

    /** What waits ahead of a parked message: messages and their body bytes. */
    record Ahead(long messages, long bodyBytes) {

        long estimate() {
            return RedeliveryReach.estimate(messages, bodyBytes);
        }
    }

    /**
     * Browses {@code queue} from its oldest message to the one with this id, the way the broker's move walks it, and
     * counts what lies ahead (a browse keeps nothing in the broker's memory); empty if the message is not there.
     */
    Optional<Ahead> ahead(String queue, String id) {
        String wanted = "ID:" + checked(id);
        long messages = 0;
        long bodyBytes = 0;
        try (JMSContext context = browsing.createContext();
             QueueBrowser browser = context.createBrowser(context.createQueue(queue))) {
            var all = browser.getEnumeration();
            while (all.hasMoreElements()) {
                Message message = (Message) all.nextElement();
                if (wanted.equals(message.getJMSMessageID())) {
                    return Optional.of(new Ahead(messages, bodyBytes));
                }
                messages++;
                bodyBytes += bodyLength(message);
            }
        } catch (JMSException e) {
            throw new ReferralBusException(ErrorCode.INTERNAL_ERROR, "Cannot browse the dead letters", e);
        }
        return Optional.empty();
    }

    /** {@link #body}'s length, without copying a sealed envelope's bytes to count them. */
    private static long bodyLength(Message message) throws JMSException {
        return message instanceof BytesMessage bytes ? bytes.getBodyLength() : body(message).length;
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
        return "JMSMessageID = 'ID:" + checked(id) + "'";
    }

    static boolean isMessageId(String id) {
        return id != null && MESSAGE_ID.matcher(id).matches();
    }

    static String checked(String id) {
        if (!isMessageId(id)) {
            throw new ReferralBusException(ErrorCode.NOT_FOUND, "No dead letter has this id");
        }
        return id;
    }
}
