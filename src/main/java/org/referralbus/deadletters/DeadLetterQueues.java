package org.referralbus.deadletters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.referralbus.broker.BrokerLayout;
import org.referralbus.broker.ParkedMessageMover;
import org.referralbus.broker.QueueBrowsing;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * moved; what waits ahead is counted by a browse first ({@link ParkedMessages}), which keeps nothing. Message ids
 * are checked against a strict pattern before they enter a selector or a filter.
 */
@Component
public class DeadLetterQueues {

    private static final List<String> PARKING = BrokerLayout.PARKING_QUEUES;
    private static final Logger log = LoggerFactory.getLogger(DeadLetterQueues.class);

    private final ParkedMessages parked;
    private final ParkedMessageMover mover;
    private final RedeliveryReach reach;

    public DeadLetterQueues(QueueBrowsing browsing, ParkedMessageMover mover, RedeliveryReach reach) {
        this.parked = new ParkedMessages(browsing, PARKING);
        this.mover = mover;
        this.reach = reach;
    }

    /** Every parked message, metadata only, oldest first per queue. */
    public List<DeadLetter> list() {
        List<DeadLetter> all = new ArrayList<>();
        for (String queue : PARKING) {
            parked.browse(queue).forEach(message -> all.add(message.letter()));
        }
        return all;
    }

    /** One parked message, with the size and hash of its sealed body. */
    public Optional<DeadLetter> show(String id) {
        return parked.find(id, true);
    }

    /**
     * Moves the message back to its origin; empty if no such message is parked (any more).
     *
     * @throws Refusal {@code redelivery_too_deep}, nothing moved, if more than the {@link RedeliveryReach} waits ahead of
     *                 it (the broker's move would keep all of that in memory); {@code invalid_request} if it names no origin
     */
    public Optional<DeadLetter> redeliver(String id) {
        // Two browses, not one walk that finds and counts: the selector's browse sends only the match (the broker
        // scans), where a walk would fetch every message of DLQ, one round trip each, to find one on the other queue.
        Optional<DeadLetter> found = parked.find(id, false);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DeadLetter letter = found.get();
        if (letter.origin() == null) {
            throw noOrigin(letter);
        }
        Optional<ParkedMessages.Ahead> ahead = parked.ahead(letter.queue(), id);
        if (ahead.isEmpty()) {
            return Optional.empty(); // another admin moved it in between
        }
        if (ahead.get().estimate() > reach.bytesAhead()) {
            throw tooDeep(letter, ahead.get());
        }
        int moved = mover.move(letter.queue(), filter(id), letter.origin(), 1);
        return moved == 1 ? Optional.of(letter) : Optional.empty(); // 0: another admin moved it in between
    }

    /**
     * Moves every parked message back to its origin, oldest first: one browse per parking queue, then one move per
     * message, which walks past only what this run left parked ahead of it (the refused), so the
     * {@link RedeliveryReach} is checked against those without browsing again. A refused message stays parked and the
     * others still go; a failure of the broker stops the run and the rest stay parked, untried.
     */
    public Redelivery redeliverAll() {
        List<List<ParkedMessages.Parked>> queues = PARKING.stream().map(parked::browse).toList(); // before any move: a re-parked one waits for the next run
        List<DeadLetter> moved = new ArrayList<>();
        List<Redelivery.NotRedelivered> notMoved = new ArrayList<>();
        int gone = 0;
        int untried = queues.stream().mapToInt(List::size).sum();
        for (List<ParkedMessages.Parked> queue : queues) {
            long leftMessages = 0;
            long leftBytes = 0;
            for (ParkedMessages.Parked message : queue) {
                DeadLetter letter = message.letter();
                untried--;
                try {
                    ParkedMessages.Ahead ahead = new ParkedMessages.Ahead(leftMessages, leftBytes);
                    if (letter.origin() == null) {
                        throw noOrigin(letter);
                    }
                    if (ahead.estimate() > reach.bytesAhead()) {
                        throw tooDeep(letter, ahead);
                    }
                    if (mover.move(letter.queue(), filter(letter.id()), letter.origin(), 1) == 1) {
                        moved.add(letter);
                    } else {
                        gone++; // another admin moved it in between
                    }
                } catch (ReferralBusException refused) {
                    boolean failed = refused.errorCode() == ErrorCode.INTERNAL_ERROR;
                    notMoved.add(new Redelivery.NotRedelivered(letter, refused.errorCode().code(), failed ? null : refused.getMessage()));
                    if (failed) {
                        log.error("Redelivering every dead letter stopped at {} on {}: {}", letter.id(), letter.queue(),
                                refused.getMessage(), refused.getCause());
                        return new Redelivery(moved, notMoved, gone, untried);
                    }
                    leftMessages++;
                    leftBytes += message.bodyBytes();
                }
            }
        }
        return new Redelivery(moved, notMoved, gone, 0);
    }

    private Refusal tooDeep(DeadLetter letter, ParkedMessages.Ahead ahead) {
        return new Refusal(letter, ErrorCode.REDELIVERY_TOO_DEEP, String.format(Locale.ROOT,
                "%d older messages (%s) wait ahead of this dead letter in %s, more than the broker may walk past to move"
                        + " one (%s, as it keeps what it walked past in memory); nothing was moved: redeliver them all with '"
                        + "admin dead-letters redeliver --all', or redeliver the older ones first",
                ahead.messages(), size(ahead.estimate()), letter.queue(), size(reach.bytesAhead())));
    }

    private static Refusal noOrigin(DeadLetter letter) {
        return new Refusal(letter, ErrorCode.INVALID_REQUEST, "This dead letter does not say where it came from");
    }

    private static String size(long bytes) {
        return bytes < 1024 * 1024 ? Math.round(bytes / 1024.0) + " KB" : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** The same match for the broker's own filter, where Artemis names the JMS message id {@code AMQUserID}. */
    private static String filter(String id) {
        return "AMQUserID = 'ID:" + ParkedMessages.checked(id) + "'";
    }

    /** A refusal of a dead letter the bus found: its audit row names it. */
    public static final class Refusal extends ReferralBusException {

        private final transient DeadLetter deadLetter;

        Refusal(DeadLetter deadLetter, ErrorCode code, String message) {
            super(code, message);
            this.deadLetter = deadLetter;
        }

        public DeadLetter deadLetter() {
            return deadLetter;
        }
    }
}
