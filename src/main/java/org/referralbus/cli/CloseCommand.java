package org.referralbus.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code close ID}: the provider has finished with an accepted case; the bus frees its capacity at once. */
@Command(name = "close", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Provider: reports an accepted case closed. The sender's status shows CLOSED; the case no longer counts against your capacity.",
                "--over amqp (QUEUE providers) sends it to your queue acknowledgements.<id> on the broker instead of over HTTPS.",
                "Exit codes: 0 recorded (over amqp: the broker has it); 1 refused (not_found, or acknowledgement_conflict: not accepted);",
                "2 could not run; 3 bus or broker unreachable."})
final class CloseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ParticipantOptions participant;

    @Parameters(index = "0", paramLabel = "ID", description = "the delivery id of a case you accepted")
    String deliveryId;

    @Mixin
    AnswerChannel channel;

    @Override
    public Integer call() {
        return close(participant, channel, deliveryId, spec.commandLine().getOut());
    }

    static int close(ParticipantOptions participant, AnswerChannel channel, String deliveryId, PrintWriter out) {
        if (channel.amqp()) {
            return channel.send(participant, deliveryId, "CLOSED", null, out);
        }
        BusClient bus = participant.connect(ClientCommands.PROVIDERS, ClientCommands.DEFAULT_PROVIDER);
        JsonNode answer = bus.json(bus.post("/api/v1/inbox/" + AgencyStatusCommand.encode(deliveryId) + "/close", new byte[0],
                "application/json"));
        out.println(answer.path("deliveryId").asString() + ": " + answer.path("state").asString());
        return ClientCommands.OK;
    }
}
