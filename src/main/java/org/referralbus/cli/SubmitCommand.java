package org.referralbus.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.referralbus.core.ReferralBusException;
import org.referralbus.envelope.DetachedSignature;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.envelope.PemFiles;
import org.referralbus.participants.ParticipantIdentity;
import org.referralbus.participants.ParticipantRole;
import org.referralbus.validation.Referral;
import org.referralbus.validation.ReferralReader;
import org.referralbus.validation.SchemaViolationException;
import org.referralbus.validation.Violation;
import tools.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code submit FILE|DIR…}: validates each referral locally against the XSD (line and column, as the bus reports
 * them), signs it with the agency's key, encrypts it for the bus certificate (fetched over mutual TLS and checked
 * against the CA), submits it, retries network failures with the very same envelope (the bus answers a repeat with
 * the same receipt), checks that the receipt is signed by the bus, and saves receipt and signature.
 */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Agency: validates, seals and submits referral XML files; saves each signed receipt.",
                "Exit codes: 0 all submitted; 1 a file is invalid or was refused; 2 could not run; 3 bus unreachable; 4 a receipt is not signed by the bus.",
                "Several files: the run goes on past a file that is invalid or refused and ends with \"M files: N submitted,"
                        + " K not submitted\". It stops part-way at a file it can no longer read (moved, deleted, a USB stick"
                        + " pulled out), saying \"N of M submitted before this\": exit 1 (4 if a receipt before it was not signed"
                        + " by the bus); at a receipt that cannot be saved though the bus received its referral: exit 2; at a bus"
                        + " that cannot be reached: exit 3. Running the same command again is safe: nothing is delivered twice."})
final class SubmitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ParticipantOptions participant;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "referral XML files, or folders of *.xml files")
    List<Path> inputs;

    /**
     * The largest envelope the bus takes, as it says with its certificate; an older bus does not say (no check). Not
     * {@code Expect: 100-continue}: Java 17's HTTP client, answered 413 without a 100, waits past its own request timeout
     * (tried 2026-12-05 with 17.0.15), and Tomcat by default sends the 100 before the bus has seen the headers.
     */
    private long maxEnvelopeBytes = Long.MAX_VALUE;

    @Option(names = "--receipts", paramLabel = "DIR", description = "where to save receipts (default: next to each file, as NAME.receipt.json and NAME.receipt.sig)")
    Path receipts;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> files = files();
        receiptFoldersWritable(files);
        receiptNamesDistinct(files);
        BusClient bus = participant.connect(ClientCommands.AGENCIES, ClientCommands.DEFAULT_AGENCY);
        EnvelopeSealer sealer = new EnvelopeSealer(
                PemFiles.readPrivateKey(participant.key(ClientCommands.AGENCIES, ClientCommands.DEFAULT_AGENCY)),
                PemFiles.readCertificate(participant.certificate(ClientCommands.AGENCIES, ClientCommands.DEFAULT_AGENCY)));
        X509Certificate busCertificate = busCertificate(bus);
        ReferralReader reader = new ReferralReader();
        InterruptedSubmission interrupted = new InterruptedSubmission(spec.commandLine().getErr());
        interrupted.install();
        try {
            return submitAll(files, out, reader, sealer, busCertificate, bus, interrupted);
        } finally {
            interrupted.remove();
        }
    }

    private int submitAll(List<Path> files, PrintWriter out, ReferralReader reader, EnvelopeSealer sealer,
                          X509Certificate busCertificate, BusClient bus, InterruptedSubmission interrupted) {
        boolean progress = files.size() > 1;
        int submitted = 0;
        int failed = 0;
        int notFromBus = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            String prefix = progress ? "[" + (i + 1) + "/" + files.size() + "] " + bar(i + 1, files.size()) + " " : "";
            byte[] xml = readInItsTurn(file, i, submitted, files.size(), prefix, out, notFromBus); // a failure stops the run
            try {
                Submitted sent = submit(file, xml, reader, sealer, busCertificate, bus, interrupted);
                try {
                    saveReceipt(file, sent);
                } catch (ClientFailure notSaved) {
                    if (progress) { // the run stops here: the disk or folder that failed this receipt would fail the next
                        out.println(prefix + file + ": received by the bus (" + sent.status() + " " + sent.referralId() + "), but its"
                                + " receipt was NOT saved; " + submitted + " of " + files.size() + " submitted before this, the"
                                + " files after it not sent.");
                        out.flush();
                    }
                    throw notSaved;
                }
                out.println(prefix + file + ": " + sent.status() + " " + sent.referralId()
                        + (sent.duplicate() ? " (already submitted: same receipt)" : "") + ", receipt verified and saved");
                submitted++;
            } catch (ClientFailure e) {
                if (e.exitCode() == ClientCommands.UNREACHABLE || e.exitCode() == ClientCommands.CANNOT_RUN) {
                    if (progress && e.exitCode() == ClientCommands.UNREACHABLE) { // which files went, and that running it again is safe
                        out.println(prefix + file + ": " + (e.mayHaveArrived() ? "not confirmed (sent, but no answer came back: it"
                                + " may have arrived)" : "not submitted") + "; " + submitted + " of " + files.size() + " submitted"
                                + " before this; run the same command again: those already submitted get their receipts again, none"
                                + " is sent twice.");
                        out.flush();
                    }
                    throw e;
                }
                out.println(prefix + file + ": " + e.getMessage());
                if (e.exitCode() == ClientCommands.NOT_FROM_BUS) {
                    notFromBus++;
                } else {
                    failed++;
                }
            }
            out.flush();
        }
        if (progress) {
            out.println(files.size() + " files: " + submitted + " submitted, " + (failed + notFromBus) + " not submitted");
        }
        return notFromBus > 0 ? ClientCommands.NOT_FROM_BUS : failed > 0 ? ClientCommands.REFUSED : ClientCommands.OK;
    }

    /** A referral the bus took, with its receipt verified as the bus's, not yet saved. */
    private record Submitted(String status, String referralId, byte[] receipt, byte[] signature, boolean duplicate) {
    }

    private Submitted submit(Path file, byte[] xml, ReferralReader reader, EnvelopeSealer sealer, X509Certificate busCertificate,
                             BusClient bus, InterruptedSubmission interrupted) {
        if (utf16(xml)) {
            throw new ClientFailure(ClientCommands.REFUSED, "is saved as UTF-16 (\"Unicode\" in Notepad), not UTF-8;"
                    + " nothing sent: save it again as UTF-8 and submit it.");
        }
        if (!looksLikeXml(xml)) {
            throw new ClientFailure(ClientCommands.REFUSED, "is not a referral's XML (it does not start with '<': a sealed"
                    + " envelope or another binary file?); nothing sent: give the referral's XML, submit seals it itself.");
        }
        Referral referral;
        try {
            referral = reader.read(xml);
        } catch (SchemaViolationException e) {
            StringBuilder lines = new StringBuilder("not valid against referral-v1.xsd, nothing sent; fix and submit again:");
            for (Violation v : e.violations()) {
                lines.append(System.lineSeparator()).append("  ").append(file).append(':').append(v.line()).append(':')
                        .append(v.column()).append(": ").append(v.message());
            }
            throw new ClientFailure(ClientCommands.REFUSED, lines.toString());
        }
        String me = bus.identity().id();
        if (!referral.sender().equals(me)) {
            throw new ClientFailure(ClientCommands.REFUSED, "the file's sender is \"" + referral.sender() + "\" but you connect as \""
                    + me + "\"; nothing sent: use --as " + referral.sender() + " (or that agency's --cert and --key).");
        }
        keepsEarlierReceipt(receiptFile(file, ".receipt.json"), receiptFile(file, ".receipt.sig"), referral.referralId());
        byte[] envelope = sealer.seal(xml, busCertificate);
        if (envelope.length > maxEnvelopeBytes) { // the bus would refuse it only once the whole upload was in
            throw new ClientFailure(ClientCommands.REFUSED, "is " + envelope.length + " bytes once sealed, more than the bus takes ("
                    + maxEnvelopeBytes + " bytes: payload_too_large); nothing sent. A referral is a few kilobytes: check that the"
                    + " file holds one referral's XML and nothing else (no attachment, no pasted document).", "payload_too_large", false);
        }
        HttpResponse<byte[]> response;
        JsonNode receipt;
        interrupted.sending(referral.referralId(), file);
        try {
            response = bus.post("/api/v1/referrals", envelope, "application/pkcs7-mime");
            receipt = bus.json(response);
        } catch (ClientFailure e) {
            throw inWordsOf(e, referral.referralId(), bus);
        } finally {
            interrupted.answered();
        }
        byte[] signature = response.headers().firstValue("Referral-Bus-Receipt-Signature")
                .map(s -> Base64.getDecoder().decode(s.trim()))
                .orElseThrow(() -> new ClientFailure(ClientCommands.NOT_FROM_BUS, "the receipt carries no signature: do not rely on it, tell the bus operator."));
        try {
            DetachedSignature.verifyByBus(response.body(), signature, bus.trust());
        } catch (ReferralBusException e) {
            throw new ClientFailure(ClientCommands.NOT_FROM_BUS, "the receipt is not signed by the bus (" + e.errorCode().code()
                    + "): do not rely on it, tell the bus operator.");
        }
        boolean duplicate = response.headers().firstValue("Referral-Bus-Duplicate").map(Boolean::parseBoolean).orElse(false);
        return new Submitted(receipt.path("status").asString(), receipt.path("referralId").asString(), response.body(), signature,
                duplicate);
    }

    /**
     * Receipt and signature, each written whole ({@link PrivateFiles}). If either cannot be (a full disk, a folder made
     * read-only during the run), the referral is at the bus all the same: said with its file and id, as received, since a
     * clerk told "could not run" took it for not sent. Sending the unchanged file again is answered with the receipt the
     * bus stored ({@code ReferralDeduplication}: same sender, id and content), and nothing is delivered twice.
     */
    private void saveReceipt(Path file, Submitted sent) {
        for (String suffix : List.of(".receipt.json", ".receipt.sig")) {
            Path receipt = receiptFile(file, suffix);
            try {
                PrivateFiles.write(receipt, suffix.endsWith(".json") ? sent.receipt() : sent.signature());
            } catch (IOException e) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "Referral " + sent.referralId() + " (" + file + ") WAS received"
                        + " by the bus (" + sent.status() + ", its receipt signed by the bus), but the receipt could not be saved as "
                        + receipt + " (" + reason(e) + "): free space on that disk or make " + receiptFolder(file) + " writable, then"
                        + " run the same command again, which gets the same receipt back from the bus and saves it (nothing is"
                        + " delivered twice).");
            }
        }
    }

    /**
     * The failures a clerk misread, said for this referral: a {@code duplicate_conflict} is a referral that arrived (told
     * "give it a new id", a clerk made a second referral of the same person), and a send with no answer may have arrived
     * (told "not submitted", a clerk faxed it). Neither says anything of what the bus holds beyond the id.
     */
    static ClientFailure inWordsOf(ClientFailure failure, String referralId, BusClient bus) {
        if ("duplicate_conflict".equals(failure.problemCode()) && failure.getMessage().contains("is not finished")) {
            return new ClientFailure(ClientCommands.REFUSED, "referral " + referralId + " arrived earlier but is not finished"
                    + " (duplicate_conflict): the bus gave no receipt for it. Send again the very file you sent first (the same"
                    + " sealed envelope): that finishes it and returns its receipt; this file differs from it, so it cannot. If"
                    + " that file is lost, ask the bus's operator before sending the person under a new referralId.",
                    failure.problemCode(), false);
        }
        if ("duplicate_conflict".equals(failure.problemCode())) {
            return new ClientFailure(ClientCommands.REFUSED, "referral " + referralId + " arrived earlier (duplicate_conflict): the"
                    + " bus holds it and gave its receipt then; this file differs from what arrived (made again, or re-saved by"
                    + " an editor), so it was not taken. If you are sending it again after a failed or unanswered send, nothing"
                    + " more is needed: check it with status " + referralId + ". To correct it, send a new referral that names it"
                    + " in header/supersedes. Only a different person gets a new referralId.", failure.problemCode(), false);
        }
        if (failure.mayHaveArrived()) {
            return new ClientFailure(ClientCommands.UNREACHABLE, "Referral " + referralId + " was sent to the bus at " + bus.address()
                    + ", but no answer came back (tried " + BusClient.ATTEMPTS + " times): it may have arrived. Run the same"
                    + " command again (safe: a referral that arrived gets its receipt back, and is not delivered twice), or"
                    + " check with status " + referralId + ".", null, true);
        }
        return failure;
    }

    private X509Certificate busCertificate(BusClient bus) {
        HttpResponse<byte[]> response = bus.get("/api/v1/bus/certificate");
        bus.ensureSuccess(response);
        try {
            response.headers().firstValue("Referral-Bus-Max-Envelope-Bytes").map(String::trim).map(Long::parseLong)
                    .filter(limit -> limit > 0).ifPresent(limit -> maxEnvelopeBytes = limit);
        } catch (NumberFormatException notANumber) {
            // not what the bus sends: the bus checks the size itself
        }
        try {
            X509Certificate certificate = PemFiles.readCertificate(response.body());
            bus.trust().verify(certificate, List.of());
            if (ParticipantIdentity.of(certificate).role() != ParticipantRole.BUS) {
                throw new ClientFailure(ClientCommands.NOT_FROM_BUS, "The certificate the bus offers for encryption is not a bus certificate: nothing sent, tell the bus operator.");
            }
            return certificate;
        } catch (ReferralBusException e) {
            throw new ClientFailure(ClientCommands.NOT_FROM_BUS, "The certificate the bus offers for encryption is not from your CA ("
                    + e.errorCode().code() + "): nothing sent, check --ca and tell the bus operator.");
        }
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (input.toString().isBlank()) { // an unset "$FILE": the empty path is the working folder, all of it was sent
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "An empty file name was given (an unset variable in a script?):"
                        + " give the referral's file or folder by name (. for the current folder); nothing was sent.");
            }
            if (Files.isDirectory(input)) {
                try (Stream<Path> listing = Files.list(input)) {
                    listing.filter(p -> isXml(p) && !leftByAnotherProgram(p) && Files.isRegularFile(p)).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new ClientFailure(ClientCommands.CANNOT_RUN, "The folder " + input + " cannot be read: check its permissions.");
                }
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "There is no file or folder " + input + ": check the name; nothing was sent.");
            }
        }
        if (files.isEmpty()) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "No .xml files in " + inputs + ": nothing was sent.");
        }
        files.forEach(SubmitCommand::readable);
        return files;
    }

    /** Text that starts, after a byte-order mark and white space, with '<': anything else the XML parser met with a byte error. */
    private static boolean looksLikeXml(byte[] content) {
        String start = new String(content, 0, Math.min(content.length, 64), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replaceFirst("^\u00EF\u00BB\u00BF", "").stripLeading();
        return start.startsWith("<");
    }

    /** A UTF-16 byte-order mark, or '<' as the first of two bytes: an office's "Unicode" text, not a binary file. */
    private static boolean utf16(byte[] content) {
        return content.length >= 2 && ((content[0] == (byte) 0xFF && content[1] == (byte) 0xFE)
                || (content[0] == (byte) 0xFE && content[1] == (byte) 0xFF)
                || (content[0] == '<' && content[1] == 0) || (content[0] == 0 && content[1] == '<'));
    }

    /**
     * In a folder, what the clerk did not write: macOS's {@code ._name.xml} beside each file on a USB stick, an
     * editor's {@code ~$name.xml} lock file, hidden files generally. Each was sent and reported refused, a line the
     * clerk had to puzzle over. A file named on the command line is sent whatever its name.
     */
    private static boolean leftByAnotherProgram(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") || name.startsWith("~$");
    }

    /** {@code a.xml} and {@code A.XML} alike (a scanner's or another system's files): one skipped in silence was never sent. */
    private static boolean isXml(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".xml");
    }

    /**
     * Each folder the receipts go to, made and writable before anything is sent: a receipt that could not be saved after
     * the referral went was reported as "could not run", and the clerk took the referral for not sent.
     */
    private void receiptFoldersWritable(List<Path> files) {
        java.util.Set<Path> folders = new java.util.LinkedHashSet<>();
        files.forEach(file -> folders.add(receipts != null ? receipts : file.toAbsolutePath().getParent()));
        for (Path folder : folders) {
            if (!PrivateFiles.writableFolder(folder)) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, "Cannot save receipts in " + folder + ": give --receipts a folder"
                        + " you may write to; nothing was sent.");
            }
        }
    }

    private Path receiptFolder(Path file) {
        return receipts != null ? receipts : file.toAbsolutePath().getParent();
    }

    private Path receiptFile(Path file, String suffix) {
        return receiptFolder(file).resolve(file.getFileName().toString().replaceFirst("(?i)\\.xml$", "") + suffix);
    }

    /**
     * Two files of one run whose receipts would be saved under one name (the same file name in two folders, one
     * {@code --receipts}; {@code a.xml} and {@code a.XML}): the second replaced the first's receipt, the agency's only proof.
     */
    private void receiptNamesDistinct(List<Path> files) {
        java.util.Map<Path, Path> byReceipt = new java.util.HashMap<>();
        for (Path file : files) {
            Path receipt = receiptFile(file, ".receipt.json").toAbsolutePath().normalize();
            Path other = byReceipt.putIfAbsent(receipt, file);
            if (other != null && !other.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
                throw new ClientFailure(ClientCommands.CANNOT_RUN, other + " and " + file + " would both save their receipt as "
                        + receiptFile(file, ".receipt.json") + ": rename one, or submit them with different --receipts folders;"
                        + " nothing was sent.");
            }
        }
    }

    /**
     * A receipt already saved under this file's receipt name is kept unless it is this referral's own (a repeat gets the
     * same receipt): a later referral saved as {@code referral.xml} again replaced the earlier one's in silence. Either
     * file is an earlier receipt: a {@code .sig} whose {@code .json} was moved away (submit writes the {@code .json}
     * first, so it is no leftover of this tool) cannot be told to be this referral's, and was replaced without a word.
     */
    private static void keepsEarlierReceipt(Path receipt, Path signature, String referralId) {
        if (!Files.exists(receipt, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(signature, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(signature, java.nio.file.LinkOption.NOFOLLOW_LINKS)) { // a folder is no receipt
                throw new ClientFailure(ClientCommands.REFUSED, signature + " exists without its " + receipt.getFileName()
                        + " (an earlier receipt's signature, whose receipt was moved away?); nothing sent, so that it is not replaced:"
                        + " move it to keep it, or give --receipts another folder.");
            }
            return;
        }
        String earlier;
        try {
            earlier = BusClient.JSON.readTree(Files.readAllBytes(receipt)).path("referralId").asString("");
        } catch (IOException | RuntimeException unreadable) {
            earlier = "";
        }
        if (!earlier.equalsIgnoreCase(referralId)) { // ids in any case are one referral (integrators.md)
            throw new ClientFailure(ClientCommands.REFUSED, receipt + (earlier.isEmpty() ? " exists and is not this referral's receipt"
                    : " holds the receipt of referral " + earlier + ", not of this one (" + referralId + ")") + "; nothing sent, so"
                    + " that it is not replaced: move it and its .sig to keep them, or give --receipts another folder.");
        }
    }

    private static String bar(int done, int total) {
        int width = 20;
        int filled = done * width / total;
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    /**
     * A file that cannot be read is one this run cannot do, as a missing one (exit 2, integrators.md's table), said before
     * anything is sent: it was reported per file with exit 1, "refused", as if the bus or the schema had said no.
     */
    private static void readable(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            in.read();
        } catch (IOException e) {
            throw unreadable(file, e, "; nothing was sent.");
        }
    }

    /**
     * The file read when its turn comes. Readable when the run began, it may have gone since (moved, deleted, a USB stick
     * pulled): as the first file, nothing was sent (exit 2); after others, the run stopped part-way, said with how many
     * went, exit 1 as for a run where some files failed ({@code 2} said "nothing was sent" of a run that had sent some).
     */
    private static byte[] readInItsTurn(Path file, int index, int submitted, int total, String prefix, PrintWriter out,
                                        int notFromBus) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            if (index == 0) {
                throw unreadable(file, e, "; nothing was sent.");
            }
            if (total > 1) {
                out.println(prefix + file + ": cannot be read (" + reason(e) + "); " + submitted + " of " + total + " submitted"
                        + " before this, the files after it not sent.");
                out.flush();
            }
            throw new ClientFailure(notFromBus > 0 ? ClientCommands.NOT_FROM_BUS : ClientCommands.REFUSED, "The run stopped at "
                    + file + ", which could be read when it began but not now (" + reason(e) + "): " + submitted + " of " + total
                    + " files were submitted before it and the " + (total - index - 1) + " after it were not sent; make that file"
                    + " readable (or take it out), then run the same command again, which is safe: those already submitted are"
                    + " recognised by the bus and get their receipts again, none is delivered twice.");
        }
    }

    private static ClientFailure unreadable(Path file, IOException e, String end) {
        return new ClientFailure(ClientCommands.CANNOT_RUN, "The file " + file + " cannot be read (" + reason(e) + "): check"
                + " its permissions (it must be readable by the account that runs this command)" + end);
    }

    /** Owner-only and whole ({@link PrivateFiles}): {@code fetch} writes readable referrals with it. */
    static void write(Path file, byte[] content) {
        try {
            PrivateFiles.write(file, content);
        } catch (IOException e) {
            throw new ClientFailure(ClientCommands.CANNOT_RUN, "Cannot write " + file + " (" + reason(e) + "): check that the"
                    + " folder exists, is writable and has space.");
        }
    }

    /** What the system said ("No space left on device", "Is a directory"), without the path the sentence names already. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) { // its message is the path alone
            return "it is no longer there";
        }
        if (e instanceof java.nio.file.FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
