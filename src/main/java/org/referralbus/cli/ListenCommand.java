package org.referralbus.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.ParticipantRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code listen [--out DIR]}: a QUEUE provider's copies as they arrive, over AMQP 1.0 with the provider's certificate.
 * Each copy is opened and checked as {@code fetch} does (decrypted with the provider's key, signed by the bus) and
 * written as {@code ID.xml} and {@code ID.json}; only when both files are on disk (written to a temporary name,
 * forced, renamed, folder forced) is the message settled. A copy that is not from the bus is not written and not
 * settled: the command stops with exit 4 and the copy stays on the queue for the operator to look at.
 */
@Command(name = "listen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Provider (QUEUE channel): receives your copies from the broker over AMQP as they arrive and writes ID.xml and ID.json "
                    + "for each; a message is settled only once its files are on disk. Runs until stopped (Ctrl-C).",
                "Exit codes: 0 stopped; 2 could not run; 3 broker unreachable or refused the connection; 4 a copy is not signed by the bus (left on the queue).",
                "Ctrl-C lets a copy being written finish, says how many were written, and ends with 130 (the shell's code for"
                        + " Ctrl-C); a copy not yet settled stays on the queue and comes again."})
final class ListenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ParticipantOptions participant;

    @Option(names = "--broker", paramLabel = "URL[,URL]", defaultValue = "amqps://localhost:61616",
            description = {"the broker's AMQP address; amqps presents your certificate (default: ${DEFAULT-VALUE}).",
                    "A live/backup pair: both, comma-separated; a lost connection moves to the next (for up to a minute)."})
    String broker;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "inbox", description = "where to write the files (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--count", paramLabel = "N", hidden = true, description = "stop after N copies")
    Integer count;

    @Option(names = "--idle-exit", paramLabel = "SECONDS", hidden = true, description = "stop after SECONDS without a message")
    int idleExitSeconds;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        BusClient identity = participant.connect(ClientCommands.PROVIDERS, ClientCommands.DEFAULT_PROVIDER);
        if (identity.identity().role() != ParticipantRole.PROVIDER) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "listen is for providers: give a provider's certificate (--as, --cert).");
        }
        EnvelopeOpener opener = new EnvelopeOpener(
                PemFiles.readPrivateKey(participant.key(ClientCommands.PROVIDERS, ClientCommands.DEFAULT_PROVIDER)),
                PemFiles.readCertificate(participant.certificate(ClientCommands.PROVIDERS, ClientCommands.DEFAULT_PROVIDER)),
                identity.trust());
        List<URI> addresses = brokerAddresses();
        PrivateFiles.removeStaleTemporaries(out, console);
        String queue = Flow.Queues.DELIVERIES_PREFIX + identity.identity().id();
        InterruptedListening interrupted = new InterruptedListening(console, out);
        interrupted.install();
        try {
            return receive(addresses, identity, opener, queue, console, interrupted);
        } finally {
            interrupted.remove();
        }
    }

    private int receive(List<URI> addresses, BusClient identity, EnvelopeOpener opener, String queue, PrintWriter console,
                        InterruptedListening interrupted) {
        int written = 0;
        int next = 0;
        long failingSince = 0;
        while (true) {
            URI address = addresses.get(next);
            AmqpQueueReceiver receiver = new AmqpQueueReceiver(address, identity.sslContext(), queue,
                    "referral-bus-listen-" + identity.identity().id());
            console.println("listening on " + queue + " at " + address + "; writing to " + out);
            console.flush();
            int before = written;
            int[] handledHere = {0};
            try {
                receiver.run((body, properties) -> {
                    interrupted.write(() -> write(opener, body, properties, console));
                    handledHere[0]++;
                }, handled -> count != null && before + handled >= count, idleExitSeconds * 1000L);
                written += handledHere[0];
                break;
            } catch (ClientFailure e) {
                throw e;
            } catch (Exception e) {
                if (ClientCommands.brokerRefused(e)) {
                    throw new ClientFailure(ClientCommands.REFUSED, "The broker at " + address + " refused you the queue of your"
                            + " copies: either it does not accept your certificate (not the one the bus registered, revoked or"
                            + " expired: ask the bus operator), or you are not a provider on the QUEUE channel (routes/providers.yaml),"
                            + " the only ones with a queue (check --broker; others use inbox and fetch).");
                }
                written += handledHere[0];
                long now = System.currentTimeMillis();
                failingSince = handledHere[0] > 0 || failingSince == 0 ? now : failingSince;
                if (addresses.size() == 1 || now - failingSince > FAILOVER_WINDOW_MILLIS) {
                    throw new ClientFailure(ClientCommands.UNREACHABLE, "The broker at " + address + " ended the connection ("
                            + e.getMessage() + "): check --broker, that your queue exists (channel QUEUE) and that your certificate"
                            + " is registered; nothing unsettled is lost.");
                }
                next = (next + 1) % addresses.size();
                // A live/backup pair: the backup accepts connections only once it has taken over, seconds later.
                console.println("lost " + address + " (" + e.getMessage() + "); trying " + addresses.get(next));
                console.flush();
                pause();
            }
        }
        console.println(written + " copies written to " + out);
        return ClientCommands.OK;
    }

    /** How long a pair of brokers may stay unreachable before listen gives up. */
    private static final long FAILOVER_WINDOW_MILLIS = 60_000;

    private static void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientFailure(ClientCommands.UNREACHABLE, "Interrupted while reconnecting to the broker; nothing unsettled is lost.");
        }
    }

    private void write(EnvelopeOpener opener, byte[] sealed, Map<String, Object> properties, PrintWriter console) {
        Object deliveryId = properties.get(Flow.Headers.DELIVERY_ID);
        String id = AgencyStatusCommand.encode(deliveryId == null ? "" : deliveryId.toString());
        OpenedEnvelope opened;
        try {
            opened = opener.open(sealed);
            if (opened.signerIdentity().role() != ParticipantRole.BUS) {
                throw new ReferralBusException(ErrorCode.SIGNER_UNTRUSTED, "not the bus");
            }
        } catch (ReferralBusException e) {
            throw new ClientFailure(ClientCommands.NOT_FROM_BUS, "The copy " + id + " does not open as a copy signed by the bus for you ("
                    + e.errorCode().code() + "): it was not written and stays on the queue; tell the bus operator.");
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("deliveryId", id);
        summary.putAll(deliveryOrLabels(properties, FetchCommand.header(opened.content())));
        summary.put("signedBy", opened.signerIdentity().id());
        summary.put("contentSha256", opened.contentSha256());
        String now = Instant.now(Clock.systemUTC()).toString();
        summary.put("fetchedAt", now); // fetch's name for when the copy came; receivedAt is listen's own, kept
        summary.put("receivedAt", now);
        durable(out.resolve(id + ".xml"), opened.content());
        durable(out.resolve(id + ".json"), BusClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary));
        console.println(id + ": signed by the bus, written to " + out.resolve(id + ".xml") + " and " + id + ".json");
        console.flush();
    }

    /**
     * The summary's {@code referralId} and {@code services} from the delivery itself ({@code header}, read as fetch
     * reads it), which the bus signed, else from the message's labels, which it did not: a broker's metadata must not
     * override what the signature covers. Urgency and delivery time come from the delivery only. A member that neither
     * has is left out (a message without a label once wrote "null").
     */
    static Map<String, Object> deliveryOrLabels(Map<String, Object> labels, Map<String, Object> header) {
        Map<String, Object> members = new LinkedHashMap<>();
        String services = label(labels, Flow.Headers.SERVICES);
        members.put("referralId", header.get("referralId") != null ? header.get("referralId") : label(labels, Flow.Headers.REFERRAL_ID));
        members.put("services", header.get("services") instanceof List<?> listed && !listed.isEmpty() ? listed
                : services != null ? List.of(services.split(",")) : null);
        members.put("urgency", header.get("urgency"));
        members.put("deliveredAt", header.get("deliveredAt"));
        members.values().removeIf(Objects::isNull);
        return members;
    }

    private static String label(Map<String, Object> labels, String name) {
        Object value = labels.get(name);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    /** On disk before it returns ({@link PrivateFiles#write}: a temporary file forced, renamed over the target, the folder forced). */
    static void durable(Path file, byte[] content) {
        try {
            PrivateFiles.write(file, content);
        } catch (IOException e) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "Cannot write " + file + ": check that the folder is writable;"
                    + " the copy was not settled and stays on the queue.");
        }
    }

    private List<URI> brokerAddresses() {
        List<URI> addresses = new java.util.ArrayList<>();
        for (String one : broker.split(",")) {
            try {
                URI uri = URI.create(one.strip());
                if ((!"amqps".equals(uri.getScheme()) && !"amqp".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                addresses.add(uri);
            } catch (IllegalArgumentException e) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "\"" + one.strip() + "\" is not a broker address: give --broker"
                        + " amqps://HOST:PORT (a live/backup pair: amqps://HOST:PORT,amqps://HOST:PORT).");
            }
        }
        return addresses;
    }
}
