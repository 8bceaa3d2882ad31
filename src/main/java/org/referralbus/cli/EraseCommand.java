package org.referralbus.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code erase --sender AGENCY REFERRAL_ID}: the coordinator has a referral's sealed envelope and copies erased. */
@Command(name = "erase", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Coordinator: erases a referral on request (POST /api/v1/erasures): its sealed envelope and every"
                + " sealed copy are removed; ids, states and hashes stay, and the erasure is audited.",
                "Exit codes: 0 erased; 1 refused (forbidden, not_found); 2 could not run; 3 bus unreachable."})
final class EraseCommand implements Callable<Integer> {

    static final String COORDINATOR = "coordinator";

    @Spec
    CommandSpec spec;

    @Mixin
    ParticipantOptions participant;

    @Option(names = "--sender", required = true, paramLabel = "AGENCY", description = "the agency that filed the referral")
    String sender;

    @Parameters(index = "0", paramLabel = "REFERRAL_ID", description = "the sender's referral id")
    String referralId;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BusClient bus = participant.connect(ClientCommands.PROVIDERS, COORDINATOR);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("sender", sender);
        body.put("referralId", referralId);
        byte[] json = BusClient.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        JsonNode answer = bus.json(bus.post("/api/v1/erasures", json, "application/json"));
        out.println(referralId + " from " + sender + ": envelope " + (answer.path("envelopeRemoved").asBoolean() ? "erased" : "already gone")
                + ", " + answer.path("sealedCopies").size() + " sealed copies erased; envelope hash " + answer.path("envelopeSha256").asString()
                + " stays in the trail");
        return ClientCommands.OK;
    }
}
