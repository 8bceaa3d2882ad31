package org.referralbus.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.referralbus.participants.DeploymentAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keys init --out DIR}: a fresh deployment PKI, in files OpenSSL reads. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Admin: the deployment's keys.", subcommands = KeysCommand.Init.class)
final class KeysCommand {

    @Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Admin: creates a fresh deployment PKI in DIR: ca.crt, ca.key, ca.crl (empty), bus/bus.crt, bus/bus.key, "
                    + "tls/server.crt, tls/server.key. PEM, keys unencrypted PKCS#8 readable by the owner only: keep ca.key offline.",
                    "Exit codes: 0 created; 2 could not run (DIR already holds a CA, or cannot be written)."})
    static final class Init implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "where to create the PKI")
        Path out;

        @Option(names = "--organization", paramLabel = "NAME", defaultValue = "Referral Bus",
                description = "O= of every certificate (default: ${DEFAULT-VALUE})")
        String organization;

        @Option(names = "--server-name", paramLabel = "NAME", split = ",", defaultValue = "localhost,127.0.0.1",
                description = "host names or addresses of the bus's HTTPS server certificate (default: ${DEFAULT-VALUE})")
        List<String> serverNames;

        @Option(names = "--days", paramLabel = "N", defaultValue = "730", description = "validity of the bus and server certificates (default: ${DEFAULT-VALUE})")
        int days;

        @Override
        public Integer call() {
            PrintWriter console = spec.commandLine().getOut();
            if (Files.exists(out.resolve("ca.key"))) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, out.resolve("ca.key") + " exists already: a deployment has one CA;"
                        + " choose an empty folder with --out (or move the old one away first).");
            }
            if (organization.contains("SAMPLE ONLY")) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "--organization must not contain \"SAMPLE ONLY\": the prod profile refuses such certificates.");
            }
            try {
                DeploymentAuthority.create(out, organization, serverNames, Duration.ofDays(days));
            } catch (Exception e) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "Cannot create the PKI in " + out + " (" + e.getMessage()
                        + "): check that the folder can be written.");
            }
            console.println("deployment PKI created in " + out + ":");
            for (String file : List.of("ca.crt", "ca.key", "ca.crl", "bus/bus.crt", "bus/bus.key", "tls/server.crt", "tls/server.key")) {
                console.println("  " + out.resolve(file));
            }
            console.println("configure the bus with:");
            console.println("  referral-bus.identity.certificate=" + out.resolve("bus/bus.crt"));
            console.println("  referral-bus.identity.private-key=" + out.resolve("bus/bus.key"));
            console.println("  referral-bus.identity.trust-anchors=" + out.resolve("ca.crt"));
            console.println("  referral-bus.identity.crl-files=" + out.resolve("ca.crl"));
            console.println("  referral-bus.tls.certificate=" + out.resolve("tls/server.crt"));
            console.println("  referral-bus.tls.private-key=" + out.resolve("tls/server.key"));
            // The prod profile refuses a PEM bus key ("bus key read from a PEM file"): say how to meet it here.
            console.println("with the prod profile, which reads the bus key from PKCS#12 only, replace the two identity lines above"
                    + " with referral-bus.identity.keystore=" + out.resolve("bus/bus.p12") + " (and REFERRAL_BUS_KEYSTORE_PASSWORD in the"
                    + " environment), made with: openssl pkcs12 -export -in " + out.resolve("bus/bus.crt") + " -inkey "
                    + out.resolve("bus/bus.key") + " -name bus -out " + out.resolve("bus/bus.p12"));
            console.println("keep " + out.resolve("ca.key") + " offline; `participant add` and `participant revoke` need it.");
            return ClientCommands.OK;
        }
    }
}
