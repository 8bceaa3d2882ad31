package org.referralbus.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import org.referralbus.audit.BusSignatures;
import org.referralbus.audit.ProofVerifier;
import org.referralbus.envelope.PemFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audit verify-proof}: checks a signed tree head and a Merkle proof offline, with certificates only. */
@Command(name = "verify-proof", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Auditor, offline: checks a signed tree head (GET /api/v1/audit/tree-head) and an inclusion proof"
                + " (/proofs/inclusion) or a consistency proof from an older head (/proofs/consistency), saved as JSON.",
                "Exit codes: 0 valid; 1 invalid (forged head, tampered event, forked or truncated history, head not anchored); 2 could not run."})
final class VerifyProofCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--head", required = true, paramLabel = "FILE", description = "the signed tree head (JSON)")
    Path head;

    @Option(names = "--proof", required = true, paramLabel = "FILE", description = "the inclusion or consistency proof (JSON)")
    Path proof;

    @Option(names = "--old-head", paramLabel = "FILE", description = "for a consistency proof: the older signed tree head (JSON)")
    Path oldHead;

    @Option(names = "--bus-certificate", required = true, paramLabel = "PEM",
            description = "the bus's certificate, obtained out of band; repeat it for each bus key the heads may be signed by (a proof"
                    + " across a rotation of the bus key)")
    List<Path> busCertificates;

    @Option(names = "--tsa-certificate", paramLabel = "PEM",
            description = "also require the head's RFC 3161 timestamp by this authority (else the head is reported as never anchored)")
    Path tsaCertificate;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BusSignatures bus = new BusSignatures(busCertificates.stream().map(PemFiles::readCertificate).toList());
        X509Certificate authority = tsaCertificate == null ? null : PemFiles.readCertificate(tsaCertificate);
        ProofVerifier.Outcome outcome;
        try {
            outcome = new ProofVerifier(bus, authority).verify(read(head), read(proof), oldHead == null ? null : read(oldHead));
        } catch (tools.jackson.core.JacksonException | java.time.format.DateTimeParseException | IllegalArgumentException e) {
            throw new ClientFailure(ReferralBusCommandLine.FAILED, "the head or proof file is not what the auditor API returns:"
                    + " save GET /api/v1/audit/tree-head and /proofs/... unchanged");
        }
        outcome.lines().forEach(out::println);
        out.println(outcome.valid() ? "VALID" : "INVALID");
        return outcome.valid() ? 0 : ReferralBusCommandLine.BROKEN;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ClientFailure(ReferralBusCommandLine.FAILED, "cannot read " + file + (java.nio.file.Files.exists(file)
                    ? " (check its permissions)" : " (there is no such file)") + ": save the bus's answer to that file first, or correct the path");
        }
    }
}
