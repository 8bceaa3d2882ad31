package org.referralbus.cli;

import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.Callable;
import org.referralbus.audit.ChainVerification;
import org.referralbus.audit.ExportChainVerifier;
import org.referralbus.core.ReferralBusException;
import org.referralbus.envelope.DetachedSignature;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.CertificateTrust;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The auditor's commands that read a running bus over mutual TLS (the auditor API, {@code /api/v1/audit}). */
final class AuditClientCommands {

    static final String AUDITORS = "auditors";
    static final String DEFAULT_AUDITOR = "oversight-board";

    private AuditClientCommands() {
    }

    @Command(name = "story", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Auditor: one referral's trail, in order (ids and hashes only). The query itself is audited.",
                    "Exit codes: 0 shown (also when the trail holds no event for this id); 1 refused; 2 could not run; 3 bus unreachable."})
    static final class Story implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ParticipantOptions participant;

        @Parameters(index = "0", paramLabel = "REFERRAL_ID")
        String referralId;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            BusClient bus = participant.connect(AUDITORS, DEFAULT_AUDITOR);
            JsonNode story = bus.json(bus.get("/api/v1/audit/referrals/" + AgencyStatusCommand.encode(referralId)));
            JsonNode events = story.path("events");
            out.println("referral " + referralId + ": " + events.size() + " events");
            for (JsonNode e : events) {
                out.println("  #" + e.path("seq").asLong() + " " + e.path("at").asString() + " " + e.path("type").asString()
                        + " " + e.path("actor").asString()
                        + (e.path("counterpart").isNull() || e.path("counterpart").isMissingNode() ? "" : " -> " + e.path("counterpart").asString())
                        + (e.path("detail").isNull() || e.path("detail").isMissingNode() ? "" : " (" + e.path("detail").asString() + ")"));
            }
            boolean onlyQueries = true;
            for (JsonNode e : events) {
                onlyQueries &= "AUDITOR_QUERIED".equals(e.path("type").asString());
            }
            if (onlyQueries) { // a typo reads the same as a referral that never reached the bus: say which to check
                out.println("No step of a referral " + referralId + " is in the trail: check the id against the agency's receipt"
                        + " (its referralId); a referral refused before it was read has no id in the trail.");
            }
            return ClientCommands.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Auditor: downloads the trail (JSON lines) with the bus's detached signature; checks the signature and saves FILE and FILE.sig.",
                    "Exit codes: 0 saved; 1 refused; 2 could not run (FILE or FILE.sig exists already, for one); 3 bus unreachable; 4 not signed by the bus (nothing saved)."})
    static final class Export implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ParticipantOptions participant;

        @Option(names = "--from", paramLabel = "SEQ", description = "first sequence number (default: 1)")
        Long from;

        @Option(names = "--to", paramLabel = "SEQ", description = "last sequence number (default: the head when asked)")
        Long to;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "where to save the export, a file that does not exist yet (an earlier export is never replaced); the signature goes to FILE.sig")
        Path out;

        @Override
        public Integer call() {
            PrintWriter console = spec.commandLine().getOut();
            if (out.toString().isBlank() || Files.isDirectory(out)) { // else said to be "an earlier export", which a folder is not
                throw new ClientFailure(ClientCommands.CANNOT_RUN, (out.toString().isBlank() ? "--out was given an empty name (an unset"
                        + " variable in a script?)" : out + " is a folder") + ": give --out the file to save the export as (e.g. "
                        + out.resolve("trail.jsonl") + "); nothing was downloaded.");
            }
            Path sig = out.resolveSibling(out.getFileName() + ".sig");
            for (Path earlier : java.util.List.of(out, sig)) {
                // a signed export is an auditor's evidence: never replaced, not even by a newer one
                if (Files.exists(earlier, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new ClientFailure(ClientCommands.CANNOT_RUN, earlier + " exists already (an earlier export is"
                            + " evidence, so it is not replaced): give --out another name, or move " + out.getFileName() + " and "
                            + sig.getFileName() + " elsewhere first; nothing was downloaded.");
                }
            }
            BusClient bus = participant.connect(AUDITORS, DEFAULT_AUDITOR);
            StringBuilder query = new StringBuilder();
            if (from != null) {
                query.append(query.isEmpty() ? "?" : "&").append("fromSeq=").append(from);
            }
            if (to != null) {
                query.append(query.isEmpty() ? "?" : "&").append("toSeq=").append(to);
            }
            HttpResponse<byte[]> response = bus.get("/api/v1/audit/export" + query);
            bus.ensureSuccess(response);
            byte[] signature = response.headers().firstValue("Referral-Bus-Export-Signature")
                    .map(s -> Base64.getDecoder().decode(s.trim()))
                    .orElseThrow(() -> new ClientFailure(ClientCommands.NOT_FROM_BUS, "The export carries no signature: nothing saved, tell the bus operator."));
            try {
                DetachedSignature.verifyByBus(response.body(), signature, bus.trust());
            } catch (ReferralBusException e) {
                throw new ClientFailure(ClientCommands.NOT_FROM_BUS, "The export is not signed by the bus (" + e.errorCode().code()
                        + "): nothing saved, tell the bus operator.");
            }
            SubmitCommand.write(out, response.body());
            try {
                SubmitCommand.write(sig, signature);
            } catch (ClientFailure notSaved) {
                // FILE alone is no evidence, and left there it would make the re-run refuse (an earlier export is kept)
                deleteQuietly(out);
                throw notSaved;
            }
            console.println("export " + response.headers().firstValue("Referral-Bus-Export-Range").orElse("?")
                    + " signed by the bus, saved to " + out + " and " + out.getFileName() + ".sig");
            return ClientCommands.OK;
        }

        private static void deleteQuietly(Path file) {
            try {
                Files.deleteIfExists(file);
            } catch (java.io.IOException alsoFailed) {
                // the sentence of the failure that brought us here says what to do
            }
        }
    }

    @Command(name = "verify-export", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Auditor, offline: checks a saved export with no bus and no database: the bus's signature (FILE.sig) over "
                    + "exactly FILE's bytes, chained to the deployment CA, then the hash chain row by row.",
                    "Exit codes: 0 intact and signed by the bus; 1 chain broken; 2 could not run; 4 not signed by the bus."})
    static final class VerifyExport implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "an export saved by `audit export`")
        Path file;

        @Option(names = "--sig", paramLabel = "FILE", description = "the detached signature (default: FILE.sig, or FILE.p7s as the console names it)")
        Path signature;

        @Option(names = "--ca", paramLabel = "FILE", defaultValue = "keys-sample/ca.crt", description = "the deployment CA (default: ${DEFAULT-VALUE})")
        Path ca;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path sig = signature != null ? signature : besideExport(file);
            byte[] export = read(file, "export");
            byte[] signatureBytes = read(sig, "signature");
            CertificateTrust trust;
            try {
                trust = new CertificateTrust(PemFiles.readCertificates(ca), Clock.systemUTC());
            } catch (RuntimeException e) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "The CA certificate " + ca
                        + " cannot be read: give the deployment CA (PEM) with --ca.");
            }
            try {
                DetachedSignature.verifyByBus(export, signatureBytes, trust);
            } catch (ReferralBusException e) {
                throw new ClientFailure(ClientCommands.NOT_FROM_BUS, "The export " + file + " is not signed by the bus ("
                        + e.errorCode().code() + "): it was changed after the bus signed it, or the signature belongs to another file.");
            }
            out.println("signature: by the bus, over exactly " + file.getFileName());
            ChainVerification result = ExportChainVerifier.verify(export);
            out.println("events checked: " + result.eventsChecked());
            if (result.intact()) {
                out.println("intact");
                return ClientCommands.OK;
            }
            out.println("BROKEN at seq " + result.firstBrokenSeq() + ": " + result.reason());
            return ReferralBusCommandLine.BROKEN;
        }

        /** {@code FILE.sig} as {@code audit export} saves it, or else {@code FILE.p7s} as the console's download names it. */
        private static Path besideExport(Path file) {
            Path saved = file.resolveSibling(file.getFileName() + ".sig");
            Path downloaded = file.resolveSibling(file.getFileName() + ".p7s");
            return !Files.exists(saved) && Files.exists(downloaded) ? downloaded : saved;
        }

        private static byte[] read(Path path, String what) {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "The " + what + " file " + path
                        + " cannot be read: give the files `audit export --out FILE` saved (FILE and FILE.sig) or the console"
                        + " downloaded (FILE and FILE.p7s), or name the signature with --sig.");
            }
        }
    }
}
