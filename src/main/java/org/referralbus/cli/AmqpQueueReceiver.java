package org.referralbus.cli;

import java.net.URI;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.ReceiverSettleMode;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.BaseHandler;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.SaslListener;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.SslDomain;
import org.apache.qpid.proton.engine.Transport;
import org.apache.qpid.proton.message.Message;
import org.apache.qpid.proton.reactor.Reactor;

/**
 * One AMQP 1.0 receiver on one queue, with the proton-j reactor (the AMQP engine the broker itself uses).
 *
 * <p>Implementation note: the link asks the broker to leave every message unsettled; a message is accepted and
 * settled only after {@link Handler#handle} returned normally, which the caller does only once the delivery is on
 * disk. If it throws, or the process dies first, the message stays on the queue and the broker sends it again. Over
 * {@code amqps} the client presents the participant's certificate (SASL EXTERNAL: the broker logs it in by that
 * certificate) and trusts only the deployment CA; plain {@code amqp} is for a broker without TLS (SASL ANONYMOUS).
 * One message in flight at a time (credit 1), so a slow disk never holds more than one unsettled delivery.
 */
final class AmqpQueueReceiver {

    /** What to do with one message: write it; return normally to settle it. */
    interface Handler {
        void handle(byte[] body, Map<String, Object> properties) throws Exception;
    }

    /** Decides after each message whether to stop. */
    interface Stop {
        boolean now(int handled);
    }

    private final URI broker;
    private final SSLContext tls;
    private final String queue;
    private final String containerId;

    AmqpQueueReceiver(URI broker, SSLContext tls, String queue, String containerId) {
        this.broker = broker;
        this.tls = tls;
        this.queue = queue;
        this.containerId = containerId;
    }

    /** How long a closing connection may take to finish its close handshake before the reactor is stopped anyway. */
    private static final int CLOSE_GRACE_MILLIS = 3_000;

    /** Receives until {@code stop} says so or the connection ends; returns how many messages were settled. */
    int run(Handler handler, Stop stop, long idleTimeoutMillis) throws Exception {
        Events events = new Events(handler, stop, idleTimeoutMillis);
        Reactor reactor = Proton.reactor(events);
        // The loop, not Reactor.run(), so that a connection whose close never completes cannot keep it turning.
        reactor.setTimeout(500);
        reactor.start();
        while (!events.finished && reactor.process()) {
            // each turn handles the events that arrived
        }
        reactor.stop();
        reactor.free();
        if (events.failure != null) {
            throw events.failure;
        }
        return events.handled;
    }

    private final class Events extends BaseHandler {
        private final Handler handler;
        private final Stop stop;
        private final long idleTimeoutMillis;
        private int handled;
        private long lastActivity = System.currentTimeMillis();
        private Reactor reactor;
        private Connection connection;
        private boolean closing;
        private volatile boolean finished;
        private Exception failure;

        Events(Handler handler, Stop stop, long idleTimeoutMillis) {
            this.handler = handler;
            this.stop = stop;
            this.idleTimeoutMillis = idleTimeoutMillis;
        }

        @Override
        public void onReactorInit(Event event) {
            reactor = event.getReactor();
            int port = broker.getPort() > 0 ? broker.getPort() : 61616;
            connection = event.getReactor().connectionToHost(broker.getHost(), port, this);
            if (idleTimeoutMillis > 0) {
                event.getReactor().schedule(500, this);
            }
        }

        @Override
        public void onTimerTask(Event event) {
            if (closing) {
                return;
            }
            if (System.currentTimeMillis() - lastActivity >= idleTimeoutMillis) {
                close();
            } else {
                event.getReactor().schedule(500, this);
            }
        }

        @Override
        public void onConnectionInit(Event event) {
            Session session = AmqpQueueReceiver.openSession(event.getConnection(), broker, containerId);
            Receiver receiver = session.receiver(containerId + "-" + queue);
            Source source = new Source();
            source.setAddress(queue);
            receiver.setSource(source);
            receiver.setTarget(new Target());
            receiver.setSenderSettleMode(SenderSettleMode.UNSETTLED);
            receiver.setReceiverSettleMode(ReceiverSettleMode.FIRST);
            receiver.open();
            receiver.flow(1);
        }

        @Override
        public void onConnectionBound(Event event) {
            AmqpQueueReceiver.secure(event.getTransport(), broker, tls);
        }

        @Override
        public void onTransportError(Event event) {
            var condition = event.getTransport().getCondition();
            if (failure == null) {
                failure = new java.io.IOException(condition == null || condition.getDescription() == null
                        ? "transport error" : condition.getDescription());
            }
            close();
        }

        @Override
        public void onTransportClosed(Event event) {
            finished = true;
        }

        @Override
        public void onLinkRemoteOpen(Event event) {
            // Idle time counts from when the queue is attached: a slow TLS handshake is not an empty queue.
            lastActivity = System.currentTimeMillis();
        }

        @Override
        public void onLinkRemoteClose(Event event) {
            var condition = event.getLink().getRemoteCondition();
            if (condition != null && condition.getCondition() != null && failure == null) {
                failure = new IllegalStateException(condition.getCondition() + ": " + condition.getDescription());
            }
            close();
        }

        @Override
        public void onConnectionRemoteClose(Event event) {
            var condition = event.getConnection().getRemoteCondition();
            if (condition != null && condition.getCondition() != null && failure == null) {
                failure = new IllegalStateException(condition.getCondition() + ": " + condition.getDescription());
            }
            close();
        }

        @Override
        public void onDelivery(Event event) {
            Delivery delivery = event.getDelivery();
            if (!(event.getLink() instanceof Receiver receiver) || !delivery.isReadable() || delivery.isPartial()) {
                return;
            }
            lastActivity = System.currentTimeMillis();
            byte[] encoded = new byte[delivery.pending()];
            int read = receiver.recv(encoded, 0, encoded.length);
            receiver.advance();
            Message message = Proton.message();
            message.decode(encoded, 0, read);
            byte[] body = body(message);
            Map<String, Object> properties = message.getApplicationProperties() == null ? Map.of()
                    : properties(message.getApplicationProperties());
            try {
                if (body == null) {
                    delivery.disposition(new Rejected());
                    delivery.settle();
                } else {
                    handler.handle(body, properties);
                    delivery.disposition(Accepted.getInstance());
                    delivery.settle();
                    handled++;
                }
            } catch (Exception e) {
                // Not settled: the broker keeps the message and sends it again on the next connection.
                failure = e;
                close();
                return;
            }
            if (stop.now(handled)) {
                close();
            } else {
                receiver.flow(1);
            }
        }

        /**
         * Closes the connection; a broker that never answers the close (or a handshake that never finished) must not
         * keep the command running, so the reactor is stopped after a grace period either way.
         */
        private void close() {
            if (closing) {
                return;
            }
            closing = true;
            if (connection != null) {
                connection.close();
            }
            reactor.schedule(CLOSE_GRACE_MILLIS, new BaseHandler() {
                @Override
                public void onTimerTask(Event event) {
                    finished = true;
                }
            });
        }
    }

    /** Opens the connection under this client's container id, and one session on it for the queue's link. */
    static Session openSession(Connection connection, URI broker, String containerId) {
        connection.setHostname(broker.getHost());
        connection.setContainer(containerId);
        connection.open();
        Session session = connection.session();
        session.open();
        return session;
    }

    /**
     * Idle heartbeat and SASL for one connection: over {@code amqps} the participant's certificate (SASL EXTERNAL: the
     * broker logs it in by that certificate), trusting only the deployment CA and checking the broker's name; plain
     * {@code amqp} only for a broker without TLS (SASL ANONYMOUS). Shared by the receiver and the sender.
     */
    static void secure(Transport transport, URI broker, SSLContext tls) {
        transport.setIdleTimeout(60_000);
        Sasl sasl = transport.sasl();
        sasl.client();
        if ("amqps".equals(broker.getScheme())) {
            SslDomain domain = Proton.sslDomain();
            domain.init(SslDomain.Mode.CLIENT);
            domain.setSslContext(tls);
            domain.setPeerAuthentication(SslDomain.VerifyMode.VERIFY_PEER_NAME);
            transport.ssl(domain, Proton.sslPeerDetails(broker.getHost(), broker.getPort()));
            sasl.setMechanisms("EXTERNAL");
            sasl.setListener(EXTERNAL_CHALLENGE);
        } else {
            sasl.setMechanisms("ANONYMOUS");
        }
    }

    /**
     * EXTERNAL has nothing to say beyond the certificate, but a broker may still send an (empty) challenge, and then
     * waits for a response: answer it with an empty one, or the connection never opens.
     */
    static final SaslListener EXTERNAL_CHALLENGE = new SaslListener() {
        @Override
        public void onSaslChallenge(Sasl sasl, Transport transport) {
            sasl.send(new byte[0], 0, 0);
        }

        @Override
        public void onSaslMechanisms(Sasl sasl, Transport transport) {
        }

        @Override
        public void onSaslInit(Sasl sasl, Transport transport) {
        }

        @Override
        public void onSaslResponse(Sasl sasl, Transport transport) {
        }

        @Override
        public void onSaslOutcome(Sasl sasl, Transport transport) {
        }
    };

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(ApplicationProperties properties) {
        return (Map<String, Object>) (Map<?, ?>) properties.getValue();
    }

    private static byte[] body(Message message) {
        if (message.getBody() instanceof Data data) {
            return data.getValue().getArray().length == data.getValue().getLength() && data.getValue().getArrayOffset() == 0
                    ? data.getValue().getArray() : copy(data.getValue());
        }
        if (message.getBody() instanceof AmqpValue value && value.getValue() instanceof Binary binary) {
            return copy(binary);
        }
        return null;
    }

    private static byte[] copy(Binary binary) {
        byte[] bytes = new byte[binary.getLength()];
        System.arraycopy(binary.getArray(), binary.getArrayOffset(), bytes, 0, binary.getLength());
        return bytes;
    }
}
