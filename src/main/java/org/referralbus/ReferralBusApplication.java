package org.referralbus;

import java.io.PrintWriter;
import org.referralbus.cli.ReferralBusCommandLine;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

// Participants sign in with certificates, auditors with their own accounts: no generated Spring user or password.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class ReferralBusApplication {

    public static void main(String[] args) {
        // "audit verify", "auditor create": administrative subcommands run in a small context (no web server, no broker).
        if (ReferralBusCommandLine.handles(args)) {
            System.exit(ReferralBusCommandLine.run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
        }
        SpringApplication.run(ReferralBusApplication.class, args);
    }
}
