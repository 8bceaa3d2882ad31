package org.referralbus.broker;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.springframework.stereotype.Component;

/**
 * Moves messages off a parking queue inside the broker, embedded or standalone alike: Artemis's
 * {@code QueueControl.moveMessages}, asked for by a management message on the bus's own connection.
 *
 * <p>Implementation note: only the broker reaches a message that waits on disk. A consumer's selector sees what its
 * queue has read back into memory ({@code memory-per-queue}); the broker's move walks the queue's page files too.
 * Each message is moved in one broker transaction (the copy routed to the target queue and the original
 * acknowledged), so it is either moved or left where it was. Duplicates are not rejected: the copy keeps the
 * original's duplicate-detection id, which the target address has seen, and a rejecting move would drop it. Paged
 * messages the move walks past stay in memory afterwards (Artemis keeps what it read), until they leave the queue
 * or the broker restarts: the caller bounds what lies ahead of what it moves. The bus may call this operation on the parking queues only ({@link BrokerLayout#security()}).
 */
@Component
public class ParkedMessageMover {

    /** How long to wait for the broker's answer: a move walks the whole parking queue in the worst case. */
    private static final long ANSWER_MILLIS = 120_000;
    /** Artemis's own flush limit (QueueControlImpl.FLUSH_LIMIT); each message is moved in a transaction of its own anyway. */
    private static final int FLUSH_LIMIT = 500;

    private final ConnectionFactory connections;

    public ParkedMessageMover(ConnectionFactory connections) {
        this.connections = connections;
    }

    /**
     * Moves at most {@code limit} messages matching {@code filter} (an Artemis core filter) from {@code parkingQueue}
     * to the queue {@code target}, oldest first.
     *
     * @return how many were moved
     * @throws ReferralBusException {@code internal_error} if the broker refused or failed the move, or did not answer
     *                               in time (then the move may still happen)
     */
    public int move(String parkingQueue, String filter, String target, int limit) {
        // A context of its own (a connection of its own, as Spring's cached factory gives too): the broker removes the
        // temporary answer queue when it closes, which the bus, without the right to delete addresses, could not.
        try (JMSContext context = connections.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            TemporaryQueue answers = context.createTemporaryQueue();
            try (JMSConsumer answer = context.createConsumer(answers)) {
                Message request = context.createMessage();
                JMSManagementHelper.putOperationInvocation(request, ResourceNames.QUEUE + parkingQueue, BrokerLayout.MOVE_MESSAGES,
                        FLUSH_LIMIT, filter, target, false, limit);
                // Persistent, so the send waits for the broker and a refusal of the request itself is thrown here.
                context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).setJMSReplyTo(answers)
                        .send(context.createQueue(BrokerLayout.MANAGEMENT_ADDRESS), request);
                Message reply = answer.receive(ANSWER_MILLIS);
                if (reply == null) {
                    throw failure("The broker did not answer a move from " + parkingQueue + " in time", null);
                }
                if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                    throw failure("The broker refused a move from " + parkingQueue + ": "
                            + JMSManagementHelper.getResult(reply), null);
                }
                return ((Number) JMSManagementHelper.getResult(reply)).intValue();
            }
        } catch (JMSException | JMSRuntimeException e) {
            throw failure("Cannot ask the broker to move messages from " + parkingQueue, e);
        } catch (ReferralBusException e) {
            throw e;
        } catch (Exception e) {
            throw failure("Cannot read the broker's answer to a move from " + parkingQueue, e);
        }
    }

    private static ReferralBusException failure(String message, Throwable cause) {
        return new ReferralBusException(ErrorCode.INTERNAL_ERROR, message, cause);
    }
}
