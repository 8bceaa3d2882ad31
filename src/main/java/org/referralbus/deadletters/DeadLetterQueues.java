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
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.referralbus.broker.BrokerLayout;
import org.referralbus.broker.ParkedMessageMover;
import org.referralbus.broker.QueueBrowsing;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.Sha256;
import org.springframework.stereotype.Component;

/**
 * The broker's parked messages, through the bus's own connections (admins never touch the broker): the dead-letter
 * queue, where the broker moves what it gave up redelivering, and the intake's parked rejections. Listed and shown
 * by browsing ({@link QueueBrowsing}), which reads a queue's page files too, so a message is found wherever it waits.
 *
 * <p>Implementation note: a redelivery is the broker's own move ({@link ParkedMessageMover}), the only way to take a
 * single message that waits on disk: a consumer's selector sees only what its queue read back into memory. The
 * broker moves it to its origin in one transaction, so it is either moved or left where it was, and once: the move
 * takes at most one message with that id. The copy is the message as parked, labels, body and message id included;
 * it also keeps Artemis's duplicate-detection id, which its origin has seen, so the move does not reject duplicates
 * (a rejecting one would silently drop it). The move walks the queue from its oldest message and keeps the paged
 * messages it walked past in memory, so a message behind more than the {@link RedeliveryReach} is refused, not
 * moved; what waits ahead is counted by a browse first, which keeps nothing. Message ids are checked against a
 * strict pattern before they enter a selector or a filter.
 */
@Component
public class DeadLetterQueues {

    static final String EXHAUSTED = "delivery-attempts-exhausted";
    private static final Pattern MESSAGE_ID = Pattern.compile("[0-9a-fA-F-]{1,64}");
    private static final List<String> PARKING = BrokerLayout.PARKING_QUEUES;

    private final QueueBrowsing browsing;
    private final ParkedMessageMover mover;
    private final RedeliveryReach reach;

    public DeadLetterQueues(QueueBrowsing browsing, ParkedMessageMover mover, RedeliveryReach reach) {
        this.browsing = browsing;
        this.mover = mover;
        this.reach = reach;
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
        return find(id, true);
    }

    /**
     * Moves the message back to its origin; empty if no such message is parked (any more).
     *
     * @throws ReferralBusException {@code redelivery_too_deep}, nothing moved, if more than the {@link RedeliveryReach}
     *                              waits ahead of it: the broker's move would keep all of that in memory
     */
    public Optional<DeadLetter> redeliver(String id) {
        Optional<DeadLetter> parked = find(id, false);
        if (parked.isEmpty()) {
            return Optional.empty();
        }
        DeadLetter letter = parked.get();
        if (letter.origin() == null) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "This dead letter does not say where it came from");
        }
        Optional<Ahead> ahead = ahead(letter.queue(), id);
        if (ahead.isEmpty()) {
            return Optional.empty(); // another admin moved it in between
        }
        if (ahead.get().estimate() > reach.bytesAhead()) {
            throw tooDeep(letter.queue(), ahead.get());
        }
        int moved = mover.move(letter.queue(), filter(id), letter.origin(), 1);
        return moved == 1 ? Optional.of(letter) : Optional.empty(); // 0: another admin moved it in between
    }

    /** Browses for it, which reads the page files too: found wherever it waits. */
    private Optional<DeadLetter> find(String id, boolean withBody) {
        String selector = selector(id);
        try (JMSContext context = browsing.createContext()) {
            for (String queue : PARKING) {
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
    private Optional<Ahead> ahead(String queue, String id) {
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

    private ReferralBusException tooDeep(String queue, Ahead ahead) {
        return new ReferralBusException(ErrorCode.REDELIVERY_TOO_DEEP, String.format(Locale.ROOT,
                "%d older messages (%s) wait ahead of this dead letter in %s, more than the broker may walk past to move"
                        + " one (%s, as it keeps what it walked past in memory); nothing was moved: redeliver them all with '"
                        + "admin dead-letters redeliver --all', or redeliver the older ones first",
                ahead.messages(), size(ahead.estimate()), queue, size(reach.bytesAhead())));
    }

    private static String size(long bytes) {
        return bytes < 1024 * 1024 ? Math.round(bytes / 1024.0) + " KB" : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
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

    /** The same match for the broker's own filter, where Artemis names the JMS message id {@code AMQUserID}. */
    private static String filter(String id) {
        return "AMQUserID = 'ID:" + checked(id) + "'";
    }

    private static String checked(String id) {
        if (id == null || !MESSAGE_ID.matcher(id).matches()) {
            throw new ReferralBusException(ErrorCode.NOT_FOUND, "No dead letter has this id");
        }
        return id;
    }
}
