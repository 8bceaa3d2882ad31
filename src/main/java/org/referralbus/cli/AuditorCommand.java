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
    static class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "account name, e.g. oversight-board")
        String username;

        @Unmatched
        List<String> springArguments = new ArrayList<>();

        @Override
        public Integer call() {
            String password = newPassword();
            try (ConfigurableApplicationContext context = SubcommandContext.start(springArguments)) {
                print(spec.commandLine().getOut(), password, context.getBean(AuditorAccounts.class)
                        .create(username, password, admin()));
                return 0;
            }
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"Gives an existing console account a new generated password and a new TOTP secret, printed once;"
                    + " the old ones stop working at once (an auditor who lost either)."})
    static class Reset implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "the account's name, as created")
        String username;

        @Unmatched
        List<String> springArguments = new ArrayList<>();

        @Override
        public Integer call() {
            String password = newPassword();
            try (ConfigurableApplicationContext context = SubcommandContext.start(springArguments)) {
                print(spec.commandLine().getOut(), password, context.getBean(AuditorAccounts.class)
                        .reset(username, password, admin()));
                return 0;
            }
        }
    }

    private static String newPassword() {
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Who did it, as the trail records it: the operating-system account that ran the command. */
    private static String admin() {
        return "admin:" + System.getProperty("user.name", "unknown");
    }

    private static void print(PrintWriter out, String password, AuditorAccounts.Created account) {
        out.println("auditor:     " + account.username());
        out.println("password:    " + password);
        out.println("totp secret: " + account.totpSecret());
        out.println("otpauth uri: " + account.otpauthUri());
        out.println("Hand these to the auditor over a trusted channel; they are not shown again.");
    }
}
