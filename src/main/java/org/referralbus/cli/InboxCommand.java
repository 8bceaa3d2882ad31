package org.referralbus.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code inbox}: the provider's deliveries that still wait for a decision, one line each. */
@Command(name = "inbox", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Provider: lists the deliveries waiting in your inbox (id, referral, services, urgency, delivered at).",
                "Exit codes: 0 listed; 1 refused; 2 could not run; 3 bus unreachable."})
final class InboxCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ParticipantOptions participant;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BusClient bus = participant.connect(ClientCommands.PROVIDERS, ClientCommands.DEFAULT_PROVIDER);
        JsonNode deliveries = bus.json(bus.get("/api/v1/inbox")).path("deliveries");
        if (deliveries.isEmpty()) {
            out.println("inbox of " + bus.identity().id() + " is empty");
            return ClientCommands.OK;
        }
        out.println(deliveries.size() + " deliveries for " + bus.identity().id() + ":");
        for (JsonNode d : deliveries) {
            out.println("  " + d.path("deliveryId").asString() + "  referral " + d.path("referralId").asString()
                    + "  " + String.join(",", d.path("services").valueStream().map(JsonNode::asString).toList())
                    + "  " + d.path("urgency").asString() + "  " + d.path("deliveredAt").asString()
                    + ("case-notice".equals(d.path("rule").asString()) ? "  case notice (takes no answer)" : ""));
        }
        return ClientCommands.OK;
    }
}
