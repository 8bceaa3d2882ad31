package org.referralbus.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The operator's commands on a running bus, over mutual TLS with an admin certificate (the admin API,
 * {@code /api/v1/admin}); never straight to the broker. The bus audits each of them with the admin as actor.
 */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Bus operators (admin certificate): dead letters.",
        subcommands = AdminCommand.DeadLetters.class)
class AdminCommand {

    static final String ADMINS = "admins";
    static final String DEFAULT_ADMIN = "bus-admin";
    private static final String API = "/api/v1/admin/dead-letters";

    @Command(name = "dead-letters", mixinStandardHelpOptions = true, description = {"Messages the broker parked: list (metadata only), show, redeliver one or all.",
            "Exit codes: 0 done; 1 refused or no such dead letter; 2 could not run; 3 bus unreachable."},
            subcommands = {List.class, Show.class, Redeliver.class})
    static final class DeadLetters {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = "One line per parked message: id, queue, where it came from, why, when; ids only, never content.")
    static final class List implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ParticipantOptions participant;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            BusClient bus = participant.connect(ADMINS, DEFAULT_ADMIN);
            JsonNode letters = bus.json(bus.get(API)).path("deadLetters");
            out.println(letters.size() + " dead letters");
            for (JsonNode letter : letters) {
                out.println("  " + line(letter));
            }
            return ClientCommands.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
            description = "One parked message: its metadata, and the size and SHA-256 of its sealed body (never the body).")
    static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ParticipantOptions participant;

        @Parameters(index = "0", paramLabel = "ID", description = "the id that list shows")
        String id;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            BusClient bus = participant.connect(ADMINS, DEFAULT_ADMIN);
            JsonNode letter = bus.json(bus.get(API + "/" + AgencyStatusCommand.encode(id)));
            out.println(line(letter));
            out.println("  referral " + text(letter, "referralId") + ", delivery " + text(letter, "deliveryId"));
            out.println("  sealed body " + letter.path("bodyBytes").asLong() + " bytes, sha256 " + text(letter, "bodySha256"));
            return ClientCommands.OK;
        }
    }

    @Command(name = "redeliver", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Puts a parked message back on the queue it came from (one by ID, or --all).")
    static final class Redeliver implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ParticipantOptions participant;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "the id that list shows")
        String id;

        @Option(names = "--all", description = "every parked message")
        boolean all;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (all == (id != null)) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN,
                        "Give either one dead letter's ID (from 'admin dead-letters list') or --all, not both or neither.");
            }
            BusClient bus = participant.connect(ADMINS, DEFAULT_ADMIN);
            String path = all ? API + "/redeliver" : API + "/" + AgencyStatusCommand.encode(id) + "/redeliver";
            JsonNode answer = bus.json(bus.post(path, new byte[0], "application/json"));
            JsonNode moved = answer.path("redelivered");
            out.println(moved.size() + " redelivered");
            for (JsonNode letter : moved) {
                out.println("  " + text(letter, "id") + " " + text(letter, "queue") + " -> " + text(letter, "origin"));
            }
            return left(answer, out);
        }

        /** What --all left parked: each refused one with its code, those gone meanwhile, those not tried. */
        private static int left(JsonNode answer, PrintWriter out) {
            JsonNode refused = answer.path("notRedelivered");
            for (JsonNode left : refused) {
                JsonNode letter = left.path("deadLetter");
                out.println("  " + text(letter, "id") + " " + text(letter, "queue") + " not redelivered ("
                        + text(left, "code") + "): still parked");
            }
            if (answer.path("gone").asInt() > 0) {
                out.println("  " + answer.path("gone").asInt() + " no longer parked when their turn came (moved by another admin)");
            }
            if (answer.path("notTried").asInt() > 0) {
                out.println("  " + answer.path("notTried").asInt() + " not tried: the broker failed (the bus's log says why);"
                        + " they stay parked, run 'admin dead-letters redeliver --all' again once it is fixed");
            }
            return refused.isEmpty() ? ClientCommands.OK : ClientCommands.REFUSED;
        }
    }

    private static String line(JsonNode letter) {
        return text(letter, "id") + " " + text(letter, "queue") + " from " + text(letter, "origin") + " "
                + text(letter, "reason") + " " + text(letter, "queuedAt");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? "-" : value.asString();
    }
}
