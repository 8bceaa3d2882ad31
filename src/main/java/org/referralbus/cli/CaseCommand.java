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

/** {@code case show|merge|split}: the coordinator looks at and corrects the bus's case linking (issue 16). */
@Command(name = "case", mixinStandardHelpOptions = true,
        description = "Coordinator: look at a case (or find it by a referral), merge two cases, split a wrongly linked referral out of its case.",
        subcommands = {CaseCommand.Show.class, CaseCommand.Find.class, CaseCommand.Merge.class, CaseCommand.Split.class})
final class CaseCommand {

    private static final String EXIT_CODES = "Exit codes: 0 done; 1 refused (forbidden, not_found, referral_not_in_case,"
            + " invalid_request); 2 could not run; 3 bus unreachable.";

    @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Coordinator: the case's referrals with the rule and score that linked each (GET /api/v1/cases/{caseId}),"
                    + " and the merges and splits made.", EXIT_CODES})
    static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ParticipantOptions participant;

        @Parameters(index = "0", paramLabel = "CASE", description = "the case id")
        String caseId;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            BusClient bus = participant.connect(ClientCommands.PROVIDERS, EraseCommand.COORDINATOR);
            JsonNode view = bus.json(bus.get("/api/v1/cases/" + AgencyStatusCommand.encode(caseId)));
            print(out, view);
            return ClientCommands.OK;
        }
    }

    /** The case as show and find print it: its referrals, how each was linked, the corrections made. */
    static void print(PrintWriter out, JsonNode view) {
        out.println("case " + view.path("caseId").asString() + ": " + view.path("referrals").size() + " referrals");
        for (JsonNode r : view.path("referrals")) {
            out.println("  " + r.path("referralId").asString() + " from " + r.path("sender").asString()
                    + " v" + r.path("version").asInt() + " received " + r.path("receivedAt").asString()
                    + " linked by " + text(r.path("linkRule"), "(opened the case)")
                    + (r.path("linkScore").isNumber() ? " score " + r.path("linkScore").asString() : ""));
        }
        for (JsonNode c : view.path("corrections")) {
            out.println("  " + c.path("kind").asString() + " " + c.path("caseId").asString() + " / " + c.path("otherCaseId").asString()
                    + (c.path("referralId").isString() ? " referral " + c.path("referralId").asString() : "")
                    + " by " + c.path("coordinator").asString() + " at " + c.path("at").asString());
        }
    }

    @Command(name = "find", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Coordinator: the case a referral is in, by its sender and id (GET /api/v1/cases?sender=&referralId=),"
                    + " printed as show prints it: how to find a case no copy named, before a merge.", EXIT_CODES})
    static final class Find implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ParticipantOptions participant;

        @Parameters(index = "0", paramLabel = "REFERRAL_ID", description = "the referral's id, as its agency filed it")
        String referralId;

        @Option(names = "--sender", required = true, paramLabel = "AGENCY", description = "the agency that filed it")
        String sender;

        @Override
        public Integer call() {
            BusClient bus = participant.connect(ClientCommands.PROVIDERS, EraseCommand.COORDINATOR);
            print(spec.commandLine().getOut(), bus.json(bus.get("/api/v1/cases?sender=" + AgencyStatusCommand.encode(sender)
                    + "&referralId=" + AgencyStatusCommand.encode(referralId))));
            return ClientCommands.OK;
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Coordinator: merges CASE_B into CASE_A (POST /api/v1/cases/{CASE_A}/merge); CASE_A is kept."
                    + " Audited CASES_MERGED; the providers holding CASE_B's referrals are told if a copy gave them"
                    + " its case id (CASE_A's are unchanged).", EXIT_CODES})
    static final class Merge implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ParticipantOptions participant;

        @Parameters(index = "0", paramLabel = "CASE_A", description = "the case to keep")
        String caseId;

        @Parameters(index = "1", paramLabel = "CASE_B", description = "the case merged into CASE_A")
        String otherCaseId;

        @Override
        public Integer call() {
            return correct(participant, spec.commandLine().getOut(), caseId, "merge", Map.of("otherCaseId", otherCaseId));
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Coordinator: takes REFERRAL (and its updates) out of CASE into a new case"
                    + " (POST /api/v1/cases/{CASE}/split). Audited CASE_SPLIT; the providers holding what moved are told if a copy"
                    + " gave them its case id;"
                    + " a later referral matching both cases is flagged, not silently joined.", EXIT_CODES})
    static final class Split implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ParticipantOptions participant;

        @Parameters(index = "0", paramLabel = "CASE", description = "the case the referral is in")
        String caseId;

        @Parameters(index = "1", paramLabel = "REFERRAL", description = "the referral id to take out")
        String referralId;

        @Option(names = "--sender", paramLabel = "AGENCY", description = "the agency that filed it, if two agencies used the same id")
        String sender;

        @Override
        public Integer call() {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("referralId", referralId);
            if (sender != null) {
                body.put("sender", sender);
            }
            return correct(participant, spec.commandLine().getOut(), caseId, "split", body);
        }
    }

    private static int correct(ParticipantOptions participant, PrintWriter out, String caseId, String action, Map<String, String> body) {
        BusClient bus = participant.connect(ClientCommands.PROVIDERS, EraseCommand.COORDINATOR);
        byte[] json = BusClient.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        JsonNode answer = bus.json(bus.post("/api/v1/cases/" + AgencyStatusCommand.encode(caseId) + "/" + action, json,
                "application/json"));
        out.println(answer.path("kind").asString() + ": case " + answer.path("caseId").asString() + ", other case "
                + answer.path("otherCaseId").asString() + ", " + answer.path("moved").size() + " referrals moved");
        for (JsonNode told : answer.path("providersTold")) {
            out.println("  told " + told.path("providerId").asString() + " about " + told.path("referralId").asString()
                    + " (" + told.path("reason").asString() + ")");
        }
        for (JsonNode missed : answer.path("providersNotTold")) {
            String because = text(missed.path("notToldBecause"), "not-sent");
            out.println("  NOT told " + missed.path("providerId").asString() + " about " + missed.path("referralId").asString()
                    + " (" + because + ")" + (because.equals("never-given-the-case")
                    ? ": its copies never named a case, so it is left untold" : ": tell them yourself"));
        }
        return ClientCommands.OK;
    }

    private static String text(JsonNode node, String otherwise) {
        return node.isString() ? node.asString() : otherwise;
    }
}
