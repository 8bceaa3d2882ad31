package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.envelope.EnvelopeSealer;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;

/**
 * {@code audit verify-export}: an export saved by {@code audit export} is checked with no bus (the command gets
 * no --bus and no database): the bus's signature over its exact bytes, then the hash chain.
 */
class ExportVerifiedOfflineTest extends RunningBus {

    @TempDir
    Path work;

    @Test
    void savedExportVerifiesOfflineAndAnyChangeIsCaught() throws Exception {
        Path referral = Files.writeString(work.resolve("referral.xml"),
                ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));
        assertThat(CommandRun.at(baseUrl(), "submit", referral.toString()).exit()).isZero();
        Path export = work.resolve("trail.jsonl");
        await().atMost(Duration.ofSeconds(30)).until(() -> CommandRun.at(baseUrl(), "audit", "export", "--out", export.toString()).exit() == 0);
        String original = Files.readString(export);

        // A saved export is evidence: a second export to its name is refused before anything is downloaded.
        CommandRun again = CommandRun.at(baseUrl(), "audit", "export", "--out", export.toString());
        assertThat(again.exit()).as(again.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(again.output().strip()).isEqualTo("error: " + export + " exists already (an earlier export is evidence, so it"
                + " is not replaced): give --out another name, or move trail.jsonl and trail.jsonl.sig elsewhere first; nothing was"
                + " downloaded.");
        assertThat(Files.readString(export)).isEqualTo(original);
        Files.writeString(work.resolve("only-sig.jsonl.sig"), "an earlier signature");
        CommandRun besideASignature = CommandRun.at(baseUrl(), "audit", "export", "--out", work.resolve("only-sig.jsonl").toString());
        assertThat(besideASignature.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(besideASignature.output()).contains("only-sig.jsonl.sig exists already");
        assertThat(work.resolve("only-sig.jsonl")).doesNotExist();
        assertThat(Files.readString(work.resolve("only-sig.jsonl.sig"))).isEqualTo("an earlier signature");
        // The signature cannot be saved (FILE takes all 255 bytes a name may have, so FILE.sig is too long): the export alone
        // is removed, so that running the command again is not refused for an earlier export that is no evidence.
        Path unsigned = work.resolve("u".repeat(255 - ".jsonl".length()) + ".jsonl");
        CommandRun sigFails = CommandRun.at(baseUrl(), "audit", "export", "--out", unsigned.toString());
        assertThat(sigFails.exit()).as(sigFails.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(sigFails.output()).contains("Cannot write " + unsigned + ".sig");
        assertThat(unsigned).doesNotExist();
        try (var files = Files.list(work)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left").noneMatch(n -> n.endsWith(".part"));
        }

        CommandRun intact = CommandRun.offline("audit", "verify-export", export.toString());
        assertThat(intact.exit()).as(intact.output()).isZero();
        assertThat(intact.output()).contains("signature: by the bus", "intact");

        // As the console's download names the pair: FILE and FILE.p7s.
        Path downloaded = work.resolve("audit-1-9.jsonl");
        Files.writeString(downloaded, original);
        Files.copy(work.resolve("trail.jsonl.sig"), work.resolve("audit-1-9.jsonl.p7s"));
        CommandRun console = CommandRun.offline("audit", "verify-export", downloaded.toString());
        assertThat(console.exit()).as(console.output()).isZero();
        CommandRun noSignature = CommandRun.offline("audit", "verify-export", work.resolve("referral.xml").toString());
        assertThat(noSignature.output()).contains("or name the signature with --sig");

        // One character changed after signing: the signature no longer covers the bytes.
        Files.writeString(export, original.replaceFirst("\"RECEIVED\"", "\"REJECTED\""));
        CommandRun tampered = CommandRun.offline("audit", "verify-export", export.toString());
        assertThat(tampered.exit()).as(tampered.output()).isEqualTo(ClientCommands.NOT_FROM_BUS);
        assertThat(tampered.output()).startsWith("error: The export").doesNotContain("Exception", "\tat ");

        // Re-signed by someone holding only an agency key: still not the bus.
        Path agencySigned = work.resolve("agency.jsonl");
        Files.writeString(agencySigned, original);
        Files.write(work.resolve("agency.jsonl.sig"), SampleKeys.agencySealer("border-service")
                .signDetached(original.getBytes(StandardCharsets.UTF_8)));
        assertThat(CommandRun.offline("audit", "verify-export", agencySigned.toString()).exit()).isEqualTo(ClientCommands.NOT_FROM_BUS);

        // A row edited and the file re-signed with the bus key (an insider with the key): the chain catches it.
        String[] lines = original.split("\n");
        // A row past the middle that names an actor: some rows have none (a refusal before anyone was known), and one of
        // those in the middle left the file unchanged, so the chain was rightly found intact (a fresh-clone verify, session 41).
        int edited = lines.length / 2;
        while (!lines[edited].matches(".*\"actor\":\"[^\"]+\".*")) {
            edited++;
        }
        String before = lines[edited];
        lines[edited] = lines[edited].replaceFirst("\"actor\":\"[^\"]*\"", "\"actor\":\"someone-else\"");
        assertThat(lines[edited]).isNotEqualTo(before);
        byte[] rewritten = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        Path insider = work.resolve("insider.jsonl");
        Files.write(insider, rewritten);
        EnvelopeSealer bus = new EnvelopeSealer(SampleKeys.privateKey("bus", "bus"), SampleKeys.busCertificate());
        Files.write(work.resolve("insider.jsonl.sig"), bus.signDetached(rewritten));
        CommandRun broken = CommandRun.offline("audit", "verify-export", insider.toString());
        assertThat(broken.exit()).as(broken.output()).isEqualTo(ReferralBusCommandLine.BROKEN);
        assertThat(broken.output()).contains("signature: by the bus", "BROKEN at seq", "edited row");

        CommandRun missing = CommandRun.offline("audit", "verify-export", work.resolve("nothing.jsonl").toString());
        assertThat(missing.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(missing.output()).contains("cannot be read");
    }
}
