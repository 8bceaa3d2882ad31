package org.referralbus.broker;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Reads broker queues to their end without consuming: the bus's queue depths and the dead letters it lists.
 *
 * <p>Why not the bus's own connections: an Artemis queue browser with a consumer credit window (the default, 1 MiB)
 * can stop early. Its client sends credits from another thread, and its "anything more?" request can overtake them,
 * so the broker, still waiting for credit, answers "nothing more" halfway through the queue (seen here: 703 of 800
 * messages of 9 KB; a provider's queue missing its newest copies in {@code ClusterCrashEndToEndTest}). With no
 * window the client sends each credit before it asks, so a browse ends only at the queue's end, one round trip
 * per message. The bus's consumers keep their window.
 */
@Component
public class QueueBrowsing implements DisposableBean {

    private final ConnectionFactory browsing;

    public QueueBrowsing(ConnectionFactory connections) {
        this.browsing = withoutCreditWindow(connections);
    }

    /** A context whose browsers read a queue to its end: a connection of its own, as Spring's cached factory gives too. */
    public JMSContext createContext() {
        return browsing.createContext(JMSContext.AUTO_ACKNOWLEDGE);
    }

    /**
     * The same broker, connectors (TLS included), failover, timeouts and login as the bus's connections, without the
     * window: Artemis's own copy of a factory (its URI, what it serialises a factory as), not a list of settings kept
     * here by hand.
     */
    static ConnectionFactory withoutCreditWindow(ConnectionFactory connections) {
        ConnectionFactory target = connections instanceof SingleConnectionFactory cached ? cached.getTargetConnectionFactory() : connections;
        if (!(target instanceof ActiveMQConnectionFactory bus)) {
            return connections; // not Artemis: no such window
        }
        try {
            ActiveMQConnectionFactory copy = new ActiveMQConnectionFactory(bus.toURI().toString());
            copy.setConsumerWindowSize(0);
            return copy;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Could not copy the broker connection settings for browsing", e);
        }
    }

    @Override
    public void destroy() {
        if (browsing instanceof ActiveMQConnectionFactory own) {
            own.close();
        }
    }
}
