package org.referralbus.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.referralbus.core.Flow;
import org.referralbus.participants.ParticipantRole;
import picocli.CommandLine.Option;

/**
 * {@code --over https|amqp} and {@code --broker} of {@code ack} and {@code close}: the answer goes to the bus over
 * HTTPS (the default; the bus answers at once) or, for a provider on the QUEUE channel, as an AMQP message to its own
 * queue {@code acknowledgements.<id>} on the broker, the same connection {@code listen} uses. The broker keeps the
 * message once it has accepted it and the bus applies it as it arrives, with the same checks as over HTTPS; a refusal
 * (not_found, acknowledgement_conflict) is audited, and {@code inbox} still lists the delivery.
 */
final class AnswerChannel {

    enum Over { HTTPS, AMQP }

    @Option(names = "--over", paramLabel = "https|amqp", defaultValue = "https", converter = OverConverter.class,
            description = "https (default): the bus answers at once; amqp: QUEUE providers send to their queue acknowledgements.<id> on the broker")
    Over over;

    @Option(names = "--broker", paramLabel = "URL", defaultValue = "amqps://localhost:61616",
            description = "with --over amqp: the broker's AMQP address (default: ${DEFAULT-VALUE})")
    String broker;

    boolean amqp() {
        return over == Over.AMQP;
    }

    /** Sends {@code {"deliveryId", "decision", "reason"}} to the provider's acknowledgement queue and reports it. */
    int send(ParticipantOptions participant, String deliveryId, String decision, String reason, PrintWriter out) {
        BusClient identity = participant.connect(ClientCommands.PROVIDERS, ClientCommands.DEFAULT_PROVIDER);
        if (identity.identity().role() != ParticipantRole.PROVIDER) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "--over amqp is for providers: give a provider's certificate (--as, --cert).");
        }
        URI address = address();
        String queue = Flow.Queues.ACKNOWLEDGEMENTS_PREFIX + identity.identity().id();
        Map<String, String> message = new LinkedHashMap<>();
        message.put("deliveryId", deliveryId);
        message.put("decision", decision);
        if (reason != null) {
            message.put("reason", reason);
        }
        try {
            new AmqpQueueSender(address, identity.sslContext(), queue, "referral-bus-ack-" + identity.identity().id())
                    .send(BusClient.JSON.writeValueAsString(message));
        } catch (Exception e) {
            if (ClientCommands.brokerRefused(e)) {
                throw new ClientFailure(ClientCommands.REFUSED, "The broker at " + address + " refused " + identity.identity().id()
                        + " the queue " + queue + ": either it does not accept your certificate (not the one the bus registered,"
                        + " revoked or expired: ask the bus operator), or you are not a provider on the QUEUE channel"
                        + " (routes/providers.yaml), the only ones with one; answer over HTTPS instead (ack without --over amqp)."
                        + " Nothing was sent.");
            }
            throw new ClientFailure(ClientCommands.UNREACHABLE, "The broker at " + address + " did not take the answer (" + e.getMessage()
                    + "): check --broker and that the broker is running, then send it again.");
        }
        out.println(deliveryId + ": " + decision + " sent over AMQP to " + queue
                + "; the bus applies it as it arrives, as over HTTPS");
        return ClientCommands.OK;
    }

    private URI address() {
        try {
            URI uri = URI.create(broker);
            if ((!"amqps".equals(uri.getScheme()) && !"amqp".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "\"" + broker + "\" is not a broker address: give --broker amqps://HOST:PORT.");
        }
    }

    /** Accepts {@code https} and {@code amqp} in any case. */
    static final class OverConverter implements picocli.CommandLine.ITypeConverter<Over> {
        @Override
        public Over convert(String value) {
            try {
                return Over.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("expected https or amqp, not '" + value + "'");
            }
        }
    }
}
