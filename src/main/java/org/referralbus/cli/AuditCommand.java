package org.referralbus.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.referralbus.audit.AuditChainVerifier;
import org.referralbus.audit.ChainVerification;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(name = "audit", description = "Audit trail commands.", subcommands = {AuditCommand.Verify.class, AuditClientCommands.Story.class, AuditClientCommands.Export.class})
class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walks the trail and its signed checkpoints; exit 0 when intact, 1 at the first broken link.")
    static class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Unmatched
        List<String> springArguments = new ArrayList<>();

        @Override
        public Integer call() {
            try (ConfigurableApplicationContext context = SubcommandContext.start(springArguments)) {
                ChainVerification result = context.getBean(AuditChainVerifier.class).verify();
                var out = spec.commandLine().getOut();
                out.println("events checked: " + result.eventsChecked());
                if (result.intact()) {
                    out.println(result.eventsChecked() == 0 ? "intact (the trail is empty: is this the bus's database?)" : "intact");
                    return 0;
                }
                out.println("BROKEN at seq " + result.firstBrokenSeq() + ": " + result.reason());
                return ReferralBusCommandLine.BROKEN;
            }
        }
    }
}
