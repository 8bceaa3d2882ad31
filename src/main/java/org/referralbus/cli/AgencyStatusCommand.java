package org.referralbus.cli;

import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code status REFERRAL_ID [--watch]}: what became of one of the agency's referrals, need by need. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Agency: shows the state of one of your referrals and of each need.",
                "Exit codes: 0 shown; 1 refused (e.g. not_found: the bus has no referral with this id from your agency); 2 could not run; 3 bus unreachable."})
final class AgencyStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ParticipantOptions participant;

    @Parameters(index = "0", paramLabel = "REFERRAL_ID")
    String referralId;

    @Option(names = "--watch", description = "keep polling and print each change, until the referral is ACCEPTED, CLOSED or DECLINED, or the command is stopped (Ctrl-C)")
    boolean watch;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "5", description = "polling interval with --watch, at least 5 (default: ${DEFAULT-VALUE}): the rate limit counts each poll")
    int intervalSeconds;

    /** A poll a second was the agency's whole rate budget (60 a minute): the watch, then its next submit, were refused. */
    static final int MIN_INTERVAL_SECONDS = 5;

    /** States no poll will change by itself: every need taken or closed, or none left open and one declined by all. */
    static final Set<String> SETTLED = Set.of("ACCEPTED", "CLOSED", "DECLINED");

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (intervalSeconds < MIN_INTERVAL_SECONDS) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--interval must be at least "
                    + MIN_INTERVAL_SECONDS + " seconds: each poll counts against your rate limit");
        }
        BusClient bus = participant.connect(ClientCommands.AGENCIES, ClientCommands.DEFAULT_AGENCY);
        String shown = null;
        boolean away = false;
        while (true) {
            JsonNode status;
            try {
                status = poll(bus);
            } catch (ClientFailure lost) {
                if (!watch || shown == null || lost.exitCode() != ClientCommands.UNREACHABLE) {
                    throw lost;
                }
                if (!away) { // a watch rides out a bad line: said once, and again when the bus answers
                    spec.commandLine().getErr().println("No answer from the bus for now (" + lost.getMessage().replaceAll("[.]$", "")
                            + "); still watching, Ctrl-C to stop.");
                    spec.commandLine().getErr().flush();
                    away = true;
                }
                Thread.sleep(intervalSeconds * 1000L);
                continue;
            }
            if (away) {
                spec.commandLine().getErr().println("The bus answers again.");
                spec.commandLine().getErr().flush();
                away = false;
            }
            String text = render(status);
            if (!text.equals(shown)) {
                out.print(text);
                out.flush();
                shown = text;
            }
            if (!watch || SETTLED.contains(status.path("state").asString())) {
                return ClientCommands.OK;
            }
            Thread.sleep(intervalSeconds * 1000L);
        }
    }

    /** The status; the bus's {@code not_found} said as what it means to a clerk who asks "did it arrive?". */
    private JsonNode poll(BusClient bus) {
        try {
            return bus.json(bus.get("/api/v1/referrals/" + encode(referralId) + "/status"));
        } catch (ClientFailure e) {
            if ("not_found".equals(e.problemCode())) {
                throw new ClientFailure(ClientCommands.REFUSED, notArrived(referralId), e.problemCode(), false);
            }
            throw e;
        }
    }

    static String notArrived(String referralId) {
        return "The bus has no referral " + referralId + " from your agency (not_found): it has not arrived, or the id is"
                + " mistyped; send it (again) with submit.";
    }

    static String render(JsonNode status) {
        StringBuilder text = new StringBuilder();
        text.append("referral ").append(status.path("referralId").asString()).append(": ").append(status.path("state").asString())
                .append(" (received ").append(status.path("receivedAt").asString()).append(')');
        if (status.path("linkedToExistingCase").asBoolean(false)) {
            text.append(", linked to an existing case");
        }
        text.append(System.lineSeparator());
        for (JsonNode need : status.path("needs")) {
            text.append("  ").append(need.path("service").asString()).append(": ").append(need.path("state").asString())
                    .append(" at ").append(need.path("provider").asString()).append(" since ").append(need.path("at").asString())
                    .append(System.lineSeparator());
        }
        return text.toString();
    }

    static String encode(String id) {
        if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "\"" + id + "\" is not an id (letters, digits, '.', '_' and '-' only): copy it from the receipt or the inbox.");
        }
        return id;
    }
}
