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
        JsonNode answer;
        try {
            answer = bus.json(bus.post("/api/v1/inbox/" + AgencyStatusCommand.encode(deliveryId) + "/ack", json, "application/json"));
        } catch (ClientFailure e) {
            throw "acknowledgement_conflict".equals(e.problemCode()) ? answeredBefore(e, deliveryId, decision.accept) : e;
        }
        out.println(answer.path("deliveryId").asString() + ": " + answer.path("state").asString());
        return ClientCommands.OK;
    }

    private static final java.util.regex.Pattern ALREADY = java.util.regex.Pattern.compile("is already ([A-Z]+)");

    /**
     * The bus keeps the first answer: {@code --decline} after {@code --accept} (or the reverse) was a bare
     * {@code acknowledgement_conflict}, and a clerk tried again, or thought the decline made. Said with what stands, and
     * who can still change the person's course: the coordinator (and, for a case taken, the agency that sent it).
     */
    static ClientFailure answeredBefore(ClientFailure conflict, String deliveryId, boolean accepting) {
        java.util.regex.Matcher already = ALREADY.matcher(conflict.getMessage());
        String state = already.find() ? already.group(1) : "";
        String sentence = switch (state) {
            case "ACCEPTED", "CLOSED" -> accepting ? null : "Delivery " + deliveryId + " was already accepted by you"
                    + " (acknowledgement_conflict), so it cannot be declined now: the bus keeps the first answer, and nothing was"
                    + " changed. If you cannot take the person after all, tell the bus's coordinator and the agency that sent the"
                    + " referral, so that the coordinator can send the need to another provider.";
            case "DECLINED" -> accepting ? "Delivery " + deliveryId + " was already declined by you (acknowledgement_conflict),"
                    + " so it cannot be accepted now: the bus keeps the first answer and has sent the need on to another provider"
                    + " or to the coordinator; nothing was changed. If you can take the person after all, tell the bus's"
                    + " coordinator, who decides where the need goes." : null;
            case "ESCALATED" -> "Delivery " + deliveryId + " went to the bus's coordinator before your answer came (no answer in"
                    + " time, acknowledgement_conflict), so it takes no answer now; nothing was changed. Tell the coordinator"
                    + " whether you " + (accepting ? "can take" : "cannot take") + " the person.";
            default -> null;
        };
        return sentence == null ? conflict : new ClientFailure(ClientCommands.REFUSED, sentence, conflict.problemCode(), false);
    }
}
