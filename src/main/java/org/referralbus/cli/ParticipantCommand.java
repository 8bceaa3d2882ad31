package org.referralbus.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.referralbus.participants.DeploymentAuthority;
import org.referralbus.participants.ParticipantIdentity;
import org.referralbus.participants.ParticipantRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code participant add | revoke}: certificates from the deployment CA that {@code keys init} made. */
@Command(name = "participant", mixinStandardHelpOptions = true, description = "Admin: participants' certificates.",
        subcommands = {ParticipantCommand.Add.class, ParticipantCommand.Revoke.class})
final class ParticipantCommand {

    enum Role { agency, provider }

    @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Admin: issues a certificate from the deployment CA for the key in the participant's CSR (the CSR's subject is "
                    + "ignored: the CA writes OU=<role>, CN=<ID> and the participant URN), saves it in the PKI folder and prints the "
                    + "registry entry to add (routes/agencies.yaml or routes/providers.yaml). The participant keeps its private key.",
                    "Exit codes: 0 issued; 2 could not run (no CA in --pki, unreadable or forged CSR, bad id)."})
    static final class Add implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "the participant id: lower-case letters, digits and '-'")
        String id;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "${COMPLETION-CANDIDATES}")
        Role role;

        @Option(names = "--csr", required = true, paramLabel = "FILE",
                description = "the participant's certificate signing request (PEM), e.g. from openssl req -new -key my.key")
        Path csr;

        @Option(names = "--pki", paramLabel = "DIR", defaultValue = "keys", description = "the folder `keys init` made (default: ${DEFAULT-VALUE})")
        Path pki;

        @Option(names = "--days", paramLabel = "N", defaultValue = "730", description = "validity (default: ${DEFAULT-VALUE})")
        int days;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ParticipantRole participantRole = role == Role.agency ? ParticipantRole.AGENCY : ParticipantRole.PROVIDER;
            byte[] request;
            try {
                request = Files.readAllBytes(csr);
            } catch (IOException e) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "The CSR " + csr + " cannot be read: give the file the participant sent (PEM).");
            }
            Path certificate;
            List<X509Certificate> earlier;
            X509Certificate issued;
            try {
                DeploymentAuthority authority = authority(pki);
                earlier = authority.issuedTo(id);
                oneRolePerId(earlier, participantRole);
                certificate = authority.issue(id, participantRole, request, Duration.ofDays(days));
                issued = DeploymentAuthority.readCertificate(certificate);
            } catch (ClientFailure e) {
                throw e;
            } catch (Exception e) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "No certificate issued for \"" + id + "\" (" + e.getMessage()
                        + "): check the id (lower-case letters, digits, '-') and ask the participant for a new CSR.");
            }
            out.println("issued " + certificate + " (" + role + " " + id + "); send it to the participant.");
            if (!earlier.isEmpty()) {
                renewal(out, earlier.get(earlier.size() - 1), issued);
                return ClientCommands.OK;
            }
            out.println("add to routes/" + (role == Role.agency ? "agencies" : "providers") + ".yaml; the bus re-reads it within"
                    + " referral-bus.registry.reload-interval (10 s), no restart:");
            Path relative = Path.of("routes").toAbsolutePath().relativize(certificate.toAbsolutePath());
            if (role == Role.agency) {
                out.println("  - id: " + id);
                out.println("    name: " + id + "   # shown to people");
                out.println("    certificate: " + relative);
                out.println("    # callback: https://...   # optional: status events for your referrals");
            } else {
                out.println("  - id: " + id);
                out.println("    services: [SHELTER]   # what it offers");
                out.println("    regions: [DUSHANBE]   # where, or NATIONAL");
                out.println("    certificate: " + relative);
                out.println("    channel: INBOX        # INBOX, QUEUE or WEBHOOK");
            }
            return ClientCommands.OK;
        }

        /**
         * One id, one role: the registries and the broker's rights are per id, so an agency's id issued again as a
         * provider would be both. A renewal (the same role) is fine.
         */
        private void oneRolePerId(List<X509Certificate> earlier, ParticipantRole wanted) {
            for (X509Certificate before : earlier) {
                ParticipantRole was = ParticipantIdentity.of(before).role();
                if (was != wanted) {
                    throw new ClientFailure(ClientCommands.CANNOT_RUN, "\"" + id + "\" was issued a certificate as "
                            + was.name().toLowerCase(java.util.Locale.ROOT) + " (serial " + before.getSerialNumber().toString(16)
                            + "): one id has one role, so choose another id for this " + role + "; nothing was issued.");
                }
            }
        }

        /** A renewal rewrites the file the registry names: no new entry, and the bus takes it within the reload interval. */
        private void renewal(PrintWriter out, X509Certificate previous, X509Certificate renewed) {
            boolean sameKey = java.util.Arrays.equals(previous.getPublicKey().getEncoded(), renewed.getPublicKey().getEncoded());
            out.println("a renewal: " + id + " had a certificate from this CA (serial " + previous.getSerialNumber().toString(16)
                    + ", valid until " + previous.getNotAfter().toInstant() + "); the registry entry stays as it is.");
            out.println(sameKey
                    ? "same key: the old and the new certificate both work until the old one expires (or is revoked)."
                    : "new key: the bus takes the new certificate within referral-bus.registry.reload-interval (10 s) and from then"
                    + " on refuses the old key, so install the new one now.");
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Admin: adds every certificate the deployment CA issued to ID (or only --certificate) to the CRL (DIR/ca.crl), which the bus re-reads "
                    + "(referral-bus.identity.crl-files, within crl-check-interval): from then on the bus refuses those certificates.",
                    "Exit codes: 0 revoked (also when already revoked: said as such, and the CRL re-signed); 2 could not run (no CA in --pki, nothing issued to ID)."})
    static final class Revoke implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--pki", paramLabel = "DIR", defaultValue = "keys", description = "the folder `keys init` made (default: ${DEFAULT-VALUE})")
        Path pki;

        @Option(names = "--certificate", paramLabel = "PEM", description = "revoke this one certificate of ID only (e.g. the old"
                + " one after a renewal on a new key, or one the CA issued with openssl)")
        Path certificate;

        @Override
        public Integer call() {
            DeploymentAuthority authority = authority(pki);
            int revoked;
            int already = 0;
            java.time.Instant validUntil;
            List<X509Certificate> keyStillWorks = List.of();
            try {
                if (certificate != null) {
                    X509Certificate revoking = DeploymentAuthority.readCertificate(certificate);
                    already = authority.revoked(revoking) ? 1 : 0;
                    authority.revoke(id, revoking);
                    revoked = 1;
                    keyStillWorks = authority.sameKeyStillValid(id, revoking);
                } else {
                    for (X509Certificate issued : authority.issuedTo(id)) {
                        already += authority.revoked(issued) ? 1 : 0;
                    }
                    revoked = authority.revoke(id);
                }
                validUntil = revoked == 0 ? null : authority.crlNextUpdate();
            } catch (Exception e) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "The CRL was not changed (" + e.getMessage() + "): check the id and "
                        + authority.crlFile() + ".");
            }
            if (revoked == 0) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "This CA issued no certificate to \"" + id + "\" (nothing in "
                        + pki.resolve("issued") + "): check the id and --pki.");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (already == revoked) { // a repeat, or a CRL re-signed before it runs out (operators.md): nothing new is refused
                out.println((certificate != null ? "this certificate of " + id + " was already revoked" : id + " was already revoked:"
                        + " its " + revoked + " certificate(s) were in the CRL before") + "; nothing new revoked; CRL updated (re-signed,"
                        + " valid until " + validUntil + "): " + authority.crlFile());
            } else {
                out.println("revoked " + (revoked - already) + " certificate(s) of " + id + "; CRL updated: " + authority.crlFile());
                if (already > 0) {
                    out.println(already + " other certificate(s) of " + id + " were already revoked.");
                }
                out.println("the bus refuses them once it re-reads the CRL (referral-bus.identity.crl-files).");
            }
            if (!keyStillWorks.isEmpty()) {
                // A same-key renewal of the certificate revoked is still good: whoever holds the key still gets in with it.
                out.println("warning: its key still works: " + keyStillWorks.size() + " other certificate(s) of "
                        + id + " on the same key are not revoked (serial " + keyStillWorks.stream()
                        .map(c -> c.getSerialNumber().toString(16) + ", valid until " + c.getNotAfter().toInstant())
                        .collect(java.util.stream.Collectors.joining("; serial ")) + "). If the key may be in other hands, revoke"
                        + " them too (participant revoke " + id + " revokes every certificate of " + id + ") and issue one on a new key.");
            }
            return ClientCommands.OK;
        }
    }

    private static DeploymentAuthority authority(Path pki) {
        if (!Files.isRegularFile(pki.resolve("ca.key")) || !Files.isRegularFile(pki.resolve("ca.crt"))) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "No deployment CA in " + pki + " (ca.crt and ca.key): give the folder"
                    + " `keys init --out DIR` made with --pki.");
        }
        try {
            return DeploymentAuthority.open(pki);
        } catch (Exception e) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "The CA in " + pki + " cannot be read (" + e.getMessage() + ").");
        }
    }
}
