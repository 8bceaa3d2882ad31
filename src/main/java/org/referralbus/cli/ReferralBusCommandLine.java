package org.referralbus.cli;

import java.io.PrintWriter;
import java.util.Set;
import org.referralbus.bench.BenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code java -jar referral-bus.jar <subcommand>}: administrative commands that run against the configured
 * database without starting the bus, and participant commands that talk to a running bus. Exit codes: 0 success
 * (trail intact), 1 trail broken or refused, 2 could not run; participant commands add 3 (bus unreachable) and 4
 * (not signed by the bus), see {@link ClientCommands}.
 */
@Command(name = "referral-bus.jar", mixinStandardHelpOptions = true,
        subcommands = {SubmitCommand.class, AgencyStatusCommand.class, InboxCommand.class, FetchCommand.class, AckCommand.class,
                CloseCommand.class, ListenCommand.class, EraseCommand.class, CaseCommand.class,
                AuditCommand.class, AuditorCommand.class, DatabaseCommand.class, KeysCommand.class, ParticipantCommand.class, BenchCommand.class, BrokerConfigCommand.class, AdminCommand.class},
        description = {"Participant commands (submit, status, inbox, fetch, ack, close, listen, erase, admin) talk to a running bus over mutual TLS.",
                "Administrative commands (audit, auditor, database) run against the configured database without starting the bus;"
                        + " any --spring.* or --referral-bus.* option configures the database as for the bus.",
                "Offline commands (audit verify-export, keys init, participant add|revoke) need neither bus nor database.",
                "bench measures the durable bus on this machine against its crypto-bound ceiling (docs/performance.md).",
                "broker-config writes the standalone Artemis broker's configuration from the bus's settings."})
public final class ReferralBusCommandLine {

    static final int BROKEN = 1;
    static final int FAILED = 2;
    private static final Set<String> HELP = Set.of("-h", "--help", "-V", "--version");

    private ReferralBusCommandLine() {
    }

    /**
     * True when the arguments are for this command line rather than the bus: the bus takes only options
     * ({@code --spring.profiles.active=prod}), so a first word that is not one is a command (an unknown one gets
     * picocli's answer, not a bus start), and so is a request for help.
     */
    public static boolean handles(String[] args) {
        return args.length > 0 && (!args[0].startsWith("-") || HELP.contains(args[0]));
    }

    public static int run(PrintWriter out, String... args) {
        CommandLine commandLine = new CommandLine(new ReferralBusCommandLine());
        commandLine.setOut(out);
        commandLine.setErr(out);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ClientFailure failure) {
                out.println("error: " + failure.getMessage());
                out.flush();
                return failure.exitCode();
            }
            // Only the type and the message: both come from the bus's own code paths, which never carry referral content.
            out.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            out.flush();
            return FAILED;
        });
        int exit = commandLine.execute(args);
        out.flush();
        return exit;
    }
}
