package org.referralbus.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.BaseHandler;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.message.Message;
import org.apache.qpid.proton.reactor.Reactor;

/**
 * Sends one durable message to one queue over AMQP 1.0 with the proton-j reactor, and returns only once the broker
 * has accepted it (for a durable message, once it is in the broker's journal). Any other outcome (the link refused,
 * the message rejected or released, the connection lost, no answer within the timeout) throws: the caller may send
 * again, which the bus treats as a repeat. Over {@code amqps} the client presents the participant's certificate
 * (SASL EXTERNAL) and trusts only the deployment CA, as {@link AmqpQueueReceiver} does.
 */
final class AmqpQueueSender {

    private static final long TIMEOUT_MILLIS = 30_000;

    private final URI broker;
    private final SSLContext tls;
    private final String queue;
    private final String containerId;

    AmqpQueueSender(URI broker, SSLContext tls, String queue, String containerId) {
        this.broker = broker;
        this.tls = tls;
        this.queue = queue;
        this.containerId = containerId;
    }

    /**
     * Sends {@code json} as a data section with content type {@code application/json} and no application properties
     * (the bus would ignore them: the queue names the sender); throws unless accepted.
     */
    void send(String json) throws Exception {
        Events events = new Events(json.getBytes(StandardCharsets.UTF_8));
        Reactor reactor = Proton.reactor(events);
        reactor.run();
        if (!events.accepted) {
            throw events.failure != null ? events.failure : new IOException("no answer from the broker");
        }
    }

    private final class Events extends BaseHandler {
        private final byte[] body;
        private final long started = System.currentTimeMillis();
        private Connection connection;
        private boolean sent;
        private boolean accepted;
        private Exception failure;

        Events(byte[] body) {
            this.body = body;
        }

        @Override
        public void onReactorInit(Event event) {
            int port = broker.getPort() > 0 ? broker.getPort() : 61616;
            connection = event.getReactor().connectionToHost(broker.getHost(), port, this);
            event.getReactor().schedule(500, this);
        }

        @Override
        public void onTimerTask(Event event) {
            if (accepted || failure != null) {
                return;
            }
            if (System.currentTimeMillis() - started >= TIMEOUT_MILLIS) {
                failure = new IOException("no answer from the broker within " + TIMEOUT_MILLIS / 1000 + " s");
                // A connection that never opened cannot be closed politely: stop waiting for it.
                event.getReactor().stop();
            } else {
                event.getReactor().schedule(500, this);
            }
        }

        @Override
        public void onConnectionInit(Event event) {
            Session session = AmqpQueueReceiver.openSession(event.getConnection(), broker, containerId);
            Sender sender = session.sender(containerId + "-" + queue);
            Target target = new Target();
            target.setAddress(queue);
            sender.setTarget(target);
            sender.setSource(new Source());
            sender.setSenderSettleMode(SenderSettleMode.UNSETTLED);
            sender.open();
        }

        @Override
        public void onConnectionBound(Event event) {
            AmqpQueueReceiver.secure(event.getTransport(), broker, tls);
        }

        @Override
        public void onLinkFlow(Event event) {
            if (sent || !(event.getLink() instanceof Sender sender) || sender.getCredit() <= 0) {
                return;
            }
            Message message = Proton.message();
            message.setDurable(true);
            message.setContentType("application/json");
            message.setBody(new Data(new Binary(body)));
            byte[] encoded = new byte[body.length + 512];
            int length = message.encode(encoded, 0, encoded.length);
            sender.delivery(new byte[] {1});
            sender.send(encoded, 0, length);
            sender.advance();
            sent = true;
        }

        @Override
        public void onDelivery(Event event) {
            Delivery delivery = event.getDelivery();
            DeliveryState outcome = delivery.getRemoteState();
            if (outcome == null) {
                return;
            }
            if (outcome instanceof Accepted) {
                accepted = true;
            } else {
                failure = new IllegalStateException("the broker did not take the message (" + outcome.getType() + ")");
            }
            delivery.settle();
            close();
        }

        @Override
        public void onTransportError(Event event) {
            var condition = event.getTransport().getCondition();
            if (failure == null) {
                failure = new IOException(condition == null || condition.getDescription() == null
                        ? "transport error" : condition.getDescription());
            }
        }

        @Override
        public void onLinkRemoteClose(Event event) {
            remoteClosed(event.getLink().getRemoteCondition());
        }

        @Override
        public void onConnectionRemoteClose(Event event) {
            remoteClosed(event.getConnection().getRemoteCondition());
        }

        private void remoteClosed(org.apache.qpid.proton.amqp.transport.ErrorCondition condition) {
            if (!accepted && failure == null) {
                Symbol what = condition == null ? null : condition.getCondition();
                failure = new IllegalStateException(what == null ? "closed by the broker" : what + ": " + condition.getDescription());
            }
            close();
        }

        private void close() {
            if (connection != null) {
                connection.close();
            }
        }
    }
}
