package org.referralbus.cli;

import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.referralbus.core.Causes;
import org.referralbus.bench.BenchCommand;
import org.referralbus.core.ReferralBusException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code java -jar referral-bus.jar <subcommand>}: administrative commands that run against the configured
 * database without starting the bus, and participant commands that talk to a running bus. Exit codes: 0 success
 * (trail intact), 1 trail broken or refused, 2 could not run; participant commands add 3 (bus unreachable) and 4
 * (not signed by the bus), and erase 5 (not confirmed at the terminal), see {@link ClientCommands}.
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
     * picocli's answer, not a bus start), and so is a request for help. So is a command named after an option
     * ({@code --as=ngo-hotline submit FILE}): that started a whole bus, which a clerk took for a submission.
     */
    public static boolean handles(String[] args) {
        return args.length > 0 && (!args[0].startsWith("-") || HELP.contains(args[0])
                || java.util.Arrays.stream(args).anyMatch(COMMANDS::contains));
    }

    /** The names of the subcommands, from the annotation above (no command is built to learn them). */
    private static final Set<String> COMMANDS = java.util.Arrays.stream(
                    ReferralBusCommandLine.class.getAnnotation(Command.class).subcommands())
            .map(type -> type.getAnnotation(Command.class).name()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    public static int run(PrintWriter out, String... args) {
        return run(out, out, args);
    }

    /**
     * {@code err} hears what is said while a command runs rather than its outcome (that it is waiting for the bus, that a
     * submission was interrupted); the outcome and every error sentence go to {@code out}.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new ReferralBusCommandLine());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true); // --decline no_capacity, as HTTPS and AMQP read it
        commandLine.setSubcommandsCaseInsensitive(true); // "Submit", as a clerk used to other tools types it
        commandLine.setParameterExceptionHandler((mistake, arguments) -> {
            out.println("error: " + usageMistake(mistake, commandLine));
            out.flush();
            return mistake.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ClientFailure failure) {
                out.println("error: " + failure.getMessage());
                out.flush();
                return failure.exitCode();
            }
            out.println("error: " + explain(e));
            out.flush();
            return FAILED;
        });
        int exit = commandLine.execute(args);
        out.flush();
        return exit;
    }

    /**
     * A mistake in the words typed, as one line: picocli's sentence and where to read the command's options (its whole
     * usage after the sentence buried the sentence). An option before the command belongs after it.
     */
    static String usageMistake(CommandLine.ParameterException mistake, CommandLine top) {
        CommandLine where = mistake.getCommandLine();
        // picocli starts some of its sentences with its own "Error: ", which came after ours as "error: Error: …"
        String sentence = firstLine(mistake.getMessage()).replaceFirst("^Error: ", "").replaceAll("[.:]?$", "");
        if (where == top && mistake instanceof CommandLine.UnmatchedArgumentException unmatched) {
            boolean option = !unmatched.getUnmatched().isEmpty() && unmatched.getUnmatched().get(0).startsWith("-");
            return sentence + (option ? ": options go after the command, for example java -jar referral-bus.jar submit FILE"
                    + " --as ngo-hotline" : ": there is no such command") + "; java -jar referral-bus.jar --help lists the commands";
        }
        if (where != top && !where.getSubcommands().isEmpty() && mistake instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            // a misspelt command of a group (case shwo), said as the same mistake at the top is
            return sentence + ": there is no such command; java -jar " + where.getCommandSpec().qualifiedName()
                    + " --help lists its commands";
        }
        return sentence + " (java -jar " + where.getCommandSpec().qualifiedName() + " --help lists its options)";
    }

    /**
     * One sentence for a failure no command turned into one: the database, or a file the configuration names, said
     * with what to do; otherwise the type and the message. All come from the bus's own code paths and the database's
     * error text, which never carry referral content.
     */
    static String explain(Throwable failure) {
        List<Throwable> chain = Causes.chain(failure);
        for (Throwable cause : chain) {
            if (cause instanceof SQLException database) {
                return "Cannot use the database: " + firstLine(database.getMessage()) + ". The embedded database opens in one"
                        + " process at a time: stop the bus first; otherwise check spring.datasource.url, username and password.";
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof NoSuchFileException || cause instanceof FileNotFoundException
                    || (cause.getMessage() != null && cause.getMessage().startsWith("Cannot read "))) {
                return firstLine(cause.getMessage()) + ": run the command from the folder holding routes/ and keys-sample/ (or"
                        + " the jar's), give --referral-bus.home=FOLDER, or point the property that names the file at it.";
            }
        }
        for (Throwable cause : chain) {
            if ((cause instanceof java.io.IOException || cause instanceof java.io.UncheckedIOException) && cause.getMessage() != null) {
                return firstLine(cause.getMessage()).replaceAll("[.:]?$", "") + ": check the path and that its folder may be written";
            }
        }
        if (failure instanceof ReferralBusException own && own.getMessage() != null) {
            return firstLine(own.getMessage()); // the bus's own sentence: its class name tells a clerk nothing
        }
        return failure.getClass().getSimpleName() + ": " + firstLine(failure.getMessage());
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.strip().lines().findFirst().orElse("");
    }
}
