package org.referralbus.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code erase --sender AGENCY REFERRAL_ID}: the coordinator has a referral's sealed envelope and copies erased. On a
 * terminal it first asks for the referral id to be typed back, as nothing brings an erased envelope back; scripts (no
 * terminal) and {@code --yes} are not asked, so scripts written before the question run as they did.
 */
@Command(name = "erase", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Coordinator: erases a referral on request (POST /api/v1/erasures): its sealed envelope and every"
                + " sealed copy are removed; ids, states and hashes stay, and the erasure is audited.",
                "On a terminal it asks you to type the referral id first (--yes skips the question); in a script it does not ask.",
                "Exit codes: 0 erased; 1 refused (forbidden, not_found); 2 could not run; 3 bus unreachable;"
                        + " 5 not confirmed at the terminal, nothing erased."})
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

    @Option(names = "--yes", description = "erase without asking on a terminal (you have checked the sender and the id)")
    boolean yes;

    private final Supplier<Terminal> terminal;

    EraseCommand() {
        this(Terminal::ofThisProcess);
    }

    /** {@code terminal} gives the terminal the command runs on, or null (a script): a test types through it. */
    EraseCommand(Supplier<Terminal> terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BusClient bus = participant.connect(ClientCommands.PROVIDERS, COORDINATOR);
        Terminal typing = yes ? null : terminal.get();
        if (typing != null && !confirmed(typing, out)) {
            out.println("Nothing erased: what was typed is not the referral id " + referralId + "; run erase again and type"
                    + " the id exactly to erase it.");
            return ClientCommands.NOT_CONFIRMED;
        }
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

    private boolean confirmed(Terminal typing, PrintWriter out) {
        out.println("This erases the sealed envelope of referral " + referralId + " from " + sender + " and every sealed copy"
                + " of it; it cannot be undone (ids, states and hashes stay in the trail).");
        out.flush();
        String typed = typing.readLine("Type the referral id to erase it (anything else erases nothing): ");
        return typed != null && typed.strip().equals(referralId);
    }
}
