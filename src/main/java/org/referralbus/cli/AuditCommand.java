package org.referralbus.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.referralbus.core.Causes;
import org.referralbus.audit.AuditChainVerifier;
import org.referralbus.audit.ChainVerification;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(name = "audit", mixinStandardHelpOptions = true, description = "Audit trail commands.", subcommands = {AuditCommand.Verify.class, VerifyProofCommand.class, AuditClientCommands.Story.class, AuditClientCommands.Export.class,
        AuditClientCommands.VerifyExport.class})
class AuditCommand {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walks the trail, its signed checkpoints and tree heads, and checks the heads against the configured"
                    + " anchors; exit 0 when intact (and every head anchored), 1 at the first broken link or a head never anchored.")
    static class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Unmatched
        List<String> springArguments = new ArrayList<>();

        /** H2's error code for a database opened with IFEXISTS that is not there. */
        private static final int H2_DATABASE_NOT_FOUND = 90146;

        @Override
        public Integer call() {
            Environment settings = SubcommandContext.settings(springArguments);
            Optional<Path> missing = DatabaseCommand.missingH2File(settings);
            // Opening a missing embedded database would make an empty one (and its folder) where the bus's was expected.
            List<String> arguments = missing.isEmpty() ? springArguments
                    : DatabaseCommand.onlyIfExists(springArguments, settings.getProperty("spring.datasource.url"));
            try (ConfigurableApplicationContext context = SubcommandContext.start(arguments, false)) {
                return verify(context);
            } catch (RuntimeException failure) {
                if (missing.isPresent() && databaseNotFound(failure)) {
                    spec.commandLine().getOut().println("no trail: there is no database at " + missing.get()
                            + "; give the bus's --referral-bus.data-dir or point spring.datasource.* at the bus's database");
                    return ReferralBusCommandLine.BROKEN;
                }
                throw failure;
            }
        }

        private static boolean databaseNotFound(Throwable failure) {
            for (Throwable cause : Causes.chain(failure)) {
                if (cause instanceof java.sql.SQLException database && database.getErrorCode() == H2_DATABASE_NOT_FOUND) {
                    return true;
                }
            }
            return false;
        }

        private Integer verify(ConfigurableApplicationContext context) {
            AuditChainVerifier verifier = context.getBean(AuditChainVerifier.class);
            var out = spec.commandLine().getOut();
            if (!verifier.trailExists()) {
                out.println("no trail: the database " + context.getEnvironment().getProperty("spring.datasource.url", "")
                        .replaceFirst("//[^/@]*@", "//").replaceFirst("[?;].*$", "")
                        + " holds no audit trail; point spring.datasource.* at the bus's database");
                return ReferralBusCommandLine.BROKEN;
            }
            ChainVerification result = verifier.verify();
            out.println("events checked: " + result.eventsChecked());
            if (result.unanchoredTreeHeads() != null) {
                out.println(result.unanchoredTreeHeads().isEmpty() ? "every signed tree head is anchored"
                        : "NOT ANCHORED: tree heads of size " + result.unanchoredTreeHeads()
                        + " are witnessed by no timestamp and no line of the heads file");
            }
            boolean anchored = result.unanchoredTreeHeads() == null || result.unanchoredTreeHeads().isEmpty();
            if (result.intact()) {
                out.println(result.eventsChecked() == 0 ? "intact (the trail is empty: is this the bus's database?)" : "intact");
                return anchored ? 0 : ReferralBusCommandLine.BROKEN;
            }
            out.println("BROKEN at seq " + result.firstBrokenSeq() + ": " + result.reason());
            return ReferralBusCommandLine.BROKEN;
        }
    }
}
