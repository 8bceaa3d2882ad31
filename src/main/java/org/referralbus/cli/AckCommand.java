package org.referralbus.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ack ID --accept | --decline REASON | --closed}: the provider's decision on one delivery, or its end. */
@Command(name = "ack", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Provider: accepts or declines a delivery; a declined need is re-routed by the bus.",
                "--closed reports an accepted case closed (the same as `close ID`): your capacity is free at once.",
                "--over amqp (QUEUE providers) sends the answer to your queue acknowledgements.<id> on the broker instead of over HTTPS.",
                "Exit codes: 0 recorded (over amqp: the broker has it); 1 refused (e.g. not_found, invalid_request, acknowledgement_conflict);",
                "2 could not run; 3 bus or broker unreachable."})
final class AckCommand implements Callable<Integer> {

    enum Reason { NO_CAPACITY, OUT_OF_AREA, NOT_ELIGIBLE, PERSON_UNREACHABLE, OTHER }

    static final class Decision {
        @Option(names = "--accept", required = true, description = "you take the case")
        boolean accept;

        @Option(names = "--decline", required = true, paramLabel = "REASON",
                description = "you cannot take it: ${COMPLETION-CANDIDATES}")
        Reason decline;

        @Option(names = "--closed", required = true, description = "you have finished with an accepted case")
        boolean closed;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ParticipantOptions participant;

    @Parameters(index = "0", paramLabel = "ID", description = "a delivery id from `inbox`")
    String deliveryId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Decision decision;

    @Mixin
    AnswerChannel channel;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (decision.closed) {
            return CloseCommand.close(participant, channel, deliveryId, out);
        }
        if (channel.amqp()) {
            return channel.send(participant, deliveryId, decision.accept ? "ACCEPTED" : "DECLINED",
                    decision.decline == null ? null : decision.decline.name(), out);
        }
        BusClient bus = participant.connect(ClientCommands.PROVIDERS, ClientCommands.DEFAULT_PROVIDER);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("decision", decision.accept ? "ACCEPTED" : "DECLINED");
        if (decision.decline != null) {
            body.put("reason", decision.decline.name());
        }
        byte[] json = BusClient.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        JsonNode answer = bus.json(bus.post("/api/v1/inbox/" + AgencyStatusCommand.encode(deliveryId) + "/ack", json, "application/json"));
        out.println(answer.path("deliveryId").asString() + ": " + answer.path("state").asString());
        return ClientCommands.OK;
    }
}
