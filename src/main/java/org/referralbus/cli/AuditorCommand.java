package org.referralbus.cli;

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

@Command(name = "auditor", mixinStandardHelpOptions = true, description = "Auditor console accounts.", subcommands = AuditorCommand.Create.class)
class AuditorCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a console account; prints a generated password and the TOTP secret once.")
    static class Create implements Callable<Integer> {

        private static final SecureRandom RANDOM = new SecureRandom();

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "account name, e.g. oversight-board")
        String username;

        @Unmatched
        List<String> springArguments = new ArrayList<>();

        @Override
        public Integer call() {
            byte[] random = new byte[18];
            RANDOM.nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try (ConfigurableApplicationContext context = SubcommandContext.start(springArguments)) {
                AuditorAccounts.Created created = context.getBean(AuditorAccounts.class)
                        .create(username, password, "admin:" + System.getProperty("user.name", "unknown"));
                var out = spec.commandLine().getOut();
                out.println("auditor:     " + created.username());
                out.println("password:    " + password);
                out.println("totp secret: " + created.totpSecret());
                out.println("otpauth uri: " + created.otpauthUri());
                out.println("Hand these to the auditor over a trusted channel; they are not shown again.");
                return 0;
            }
        }
    }
}
