package org.referralbus.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.referralbus.core.ReferralBusException;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.validation.DeliveryReader;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fetch [ID|--all] [--out DIR]}: downloads sealed deliveries, decrypts them with the provider's key, checks
 * that the signer is the bus (certificate from the CA, role BUS), and writes the readable XML plus a short JSON
 * summary, each file whole ({@link PrivateFiles}). Nothing is written for a delivery that fails any check, and
 * nothing is downloaded before {@code --out} is known to be a folder that can be written.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Provider: downloads, decrypts and checks deliveries; writes ID.xml and ID.json for each.",
                "Exit codes: 0 written; 1 refused (e.g. not_found); 2 could not run; 3 bus unreachable; 4 a delivery is not signed by the bus (nothing written for it)."})
final class FetchCommand implements Callable<Integer> {

    static final class Which {
        @Parameters(index = "0", paramLabel = "ID", description = "a delivery id from `inbox`")
        String deliveryId;

        @Option(names = "--all", description = "every delivery in the inbox")
        boolean all;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ParticipantOptions participant;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "inbox", description = "where to write the files (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        PrintWriter console = spec.commandLine().getOut();
        if (!PrivateFiles.writableOrCanBeMade(out)) { // before the first download; made only when a copy is written
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "Cannot save deliveries in " + out + ": give --out a folder you may"
                    + " write to; nothing was fetched.");
        }
        PrivateFiles.removeStaleTemporaries(out, console);
        BusClient bus = participant.connect(ClientCommands.PROVIDERS, ClientCommands.DEFAULT_PROVIDER);
        EnvelopeOpener opener = new EnvelopeOpener(
                PemFiles.readPrivateKey(participant.key(ClientCommands.PROVIDERS, ClientCommands.DEFAULT_PROVIDER)),
                PemFiles.readCertificate(participant.certificate(ClientCommands.PROVIDERS, ClientCommands.DEFAULT_PROVIDER)),
                bus.trust());
        Map<String, JsonNode> listed = new LinkedHashMap<>();
        for (JsonNode d : bus.json(bus.get("/api/v1/inbox")).path("deliveries")) {
            listed.put(d.path("deliveryId").asString(), d);
        }
        List<String> ids = which.all ? new ArrayList<>(listed.keySet()) : List.of(AgencyStatusCommand.encode(which.deliveryId));
        if (ids.isEmpty()) {
            console.println("inbox of " + bus.identity().id() + " is empty: nothing to fetch");
            return ClientCommands.OK;
        }
        int notFromBus = 0;
        for (String id : ids) {
            var response = bus.get("/api/v1/inbox/" + id);
            bus.ensureSuccess(response);
            OpenedEnvelope opened;
            try {
                opened = opener.open(response.body());
                if (opened.signerIdentity().role() != ParticipantRole.BUS) {
                    throw new ReferralBusException(org.referralbus.core.ErrorCode.SIGNER_UNTRUSTED, "not the bus");
                }
            } catch (ReferralBusException e) {
                console.println(id + ": NOT written: the delivery does not open as a copy signed by the bus for you ("
                        + e.errorCode().code() + "); tell the bus operator.");
                notFromBus++;
                continue;
            }
            SubmitCommand.write(out.resolve(id + ".xml"), opened.content());
            SubmitCommand.write(out.resolve(id + ".json"), summary(id, listed.get(id), opened));
            console.println(id + ": signed by the bus, written to " + out.resolve(id + ".xml") + " and " + id + ".json");
        }
        return notFromBus > 0 ? ClientCommands.NOT_FROM_BUS : ClientCommands.OK;
    }

    private static byte[] summary(String id, JsonNode listed, OpenedEnvelope opened) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("deliveryId", id);
        if (listed != null) {
            summary.put("referralId", listed.path("referralId").asString());
            summary.put("services", listed.path("services").valueStream().map(JsonNode::asString).toList());
            summary.put("urgency", listed.path("urgency").asString());
            summary.put("deliveredAt", listed.path("deliveredAt").asString());
        } else {
            summary.putAll(header(opened.content()));
        }
        summary.put("signedBy", opened.signerIdentity().id());
        summary.put("contentSha256", opened.contentSha256());
        summary.put("fetchedAt", Instant.now(Clock.systemUTC()).toString());
        return BusClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(summary);
    }

    /**
     * The same members from the delivery itself, for a copy the inbox no longer lists (the inbox shows only those waiting
     * for a decision): fetched again after it was accepted, its summary named no referral and replaced the whole one.
     */
    static Map<String, Object> header(byte[] delivery) {
        return DeliveryReader.read(delivery).map(read -> {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("referralId", read.getReferralId());
            header.put("services", read.getServices() == null ? List.of()
                    : read.getServices().getService().stream().map(ServiceCode::value).toList());
            header.put("urgency", read.getUrgency() == null ? null : read.getUrgency().value());
            header.put("deliveredAt", read.getDeliveredAt() == null ? null : read.getDeliveredAt().toXMLFormat());
            header.values().removeIf(java.util.Objects::isNull);
            return header;
        }).orElse(Map.of()); // a delivery the bus signed but that does not read: the summary keeps what is sure
    }
}
