package org.referralbus.cli;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.referralbus.audit.AuditorAccounts;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

@Command(name = "auditor", mixinStandardHelpOptions = true, description = "Auditor console accounts.",
        subcommands = {AuditorCommand.Create.class, AuditorCommand.Reset.class})
class AuditorCommand {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a console account; prints a generated password and the TOTP secret once.")
    static class Create extends AccountChange {

        @Override
        AuditorAccounts.Created apply(AuditorAccounts accounts, String password, String admin) {
            return accounts.create(username, password, admin);
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"Gives an existing console account a new generated password and a new TOTP secret, printed once;"
                    + " the old ones stop working at once (an auditor who lost either)."})
    static class Reset extends AccountChange {

        @Override
        AuditorAccounts.Created apply(AuditorAccounts accounts, String password, String admin) {
            return accounts.reset(username, password, admin);
        }
    }

    /** A change to one account that hands the auditor a generated password and a TOTP secret, shown once. */
    abstract static class AccountChange implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "the account's name, e.g. oversight-board")
        String username;

        @Unmatched
        List<String> springArguments = new ArrayList<>();

        abstract AuditorAccounts.Created apply(AuditorAccounts accounts, String password, String admin);

        @Override
        public Integer call() {
            byte[] random = new byte[18];
            RANDOM.nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try (ConfigurableApplicationContext context = SubcommandContext.start(springArguments)) {
                // Who did it, as the trail records it: the operating-system account that ran the command.
                AuditorAccounts.Created account = apply(context.getBean(AuditorAccounts.class), password,
                        "admin:" + System.getProperty("user.name", "unknown"));
                PrintWriter out = spec.commandLine().getOut();
                out.println("auditor:     " + account.username());
                out.println("password:    " + password);
                out.println("totp secret: " + account.totpSecret());
                out.println("otpauth uri: " + account.otpauthUri());
                out.println("Hand these to the auditor over a trusted channel; they are not shown again.");
                return 0;
            }
        }
    }
}
