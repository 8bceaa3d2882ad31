package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;

/** The participant subcommands against a running bus over mutual TLS, as a clerk would run them. */
class ParticipantCommandsEndToEndTest extends RunningBus {

    @TempDir
    Path work;

    @Test
    void agencySubmitsChecksTheReceiptAndTheProviderFetchesDeclinesAndTheNeedIsRerouted() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        String referralId = ReferralExamples.referralId(xml);
        Path file = write("referral.xml", xml);
        write(".referral.receipt.json.part", "half a receipt, from a crash"); // submit's own temporary name

        Run submitted = run("submit", file.toString());
        assertThat(submitted.exit()).as(submitted.output()).isZero();
        assertThat(submitted.output()).contains(referralId, "receipt verified and saved");
        assertThat(Files.readString(work.resolve("referral.receipt.json"))).contains("\"referralId\":\"" + referralId + "\"");
        assertThat(work.resolve("referral.receipt.sig")).isNotEmptyFile();
        assertThat(temporaryFiles(work)).as("each file written whole under a temporary name, renamed; a crash's leftover replaced").isEmpty();

        Run again = run("submit", file.toString());
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("already submitted: same receipt");

        await().atMost(Duration.ofSeconds(20)).until(() -> run("status", referralId).output().contains("SHELTER: DELIVERED"));

        String deliveryId = await().atMost(Duration.ofSeconds(20)).until(() -> deliveryFor("shelter-dushanbe", referralId), id -> id != null);
        Path inbox = work.resolve("inbox");
        Run fetched = run("fetch", deliveryId, "--out", inbox.toString());
        assertThat(fetched.exit()).as(fetched.output()).isZero();
        assertThat(fetched.output()).contains("signed by the bus");
        assertThat(Files.readString(inbox.resolve(deliveryId + ".xml"))).contains(referralId, "SHELTER");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(inbox.resolve(deliveryId + ".xml"))))
                .as("a readable referral, for its owner only").isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(inbox))).isEqualTo("rwx------");
        assertThat(Files.readString(inbox.resolve(deliveryId + ".json")))
                .contains("\"referralId\" : \"" + referralId + "\"", "\"signedBy\" : \"referral-bus\"");
        String delivery = Files.readString(inbox.resolve(deliveryId + ".xml"));
        Files.writeString(inbox.resolve("." + deliveryId + ".xml.part"), "half a delivery, from a power cut");
        Run fetchedAgain = run("fetch", deliveryId, "--out", inbox.toString());
        assertThat(fetchedAgain.exit()).as(fetchedAgain.output()).isZero();
        assertThat(Files.readString(inbox.resolve(deliveryId + ".xml"))).isEqualTo(delivery);
        assertThat(temporaryFiles(inbox)).isEmpty();

        Run declined = run("ack", deliveryId, "--decline", "OUT_OF_AREA");
        assertThat(declined.exit()).as(declined.output()).isZero();
        assertThat(declined.output()).contains(deliveryId + ": DECLINED");

        Run status = run("status", referralId);
        assertThat(status.exit()).as(status.output()).isZero();
        assertThat(status.output()).contains("referral " + referralId).containsPattern("SHELTER: \\w+ at (?!shelter-dushanbe)");

        Run story = run("audit", "story", referralId);
        assertThat(story.exit()).as(story.output()).isZero();
        assertThat(story.output()).contains("referral " + referralId + ":", "border-service", "shelter-dushanbe")
                .doesNotContain("familyName", "No step of a referral");
        Run typo = run("audit", "story", referralId.substring(1));
        assertThat(typo.exit()).as(typo.output()).isZero();
        assertThat(typo.output()).contains("No step of a referral " + referralId.substring(1) + " is in the trail: check the id");

        Path export = work.resolve("trail.jsonl");
        Run exported = run("audit", "export", "--out", export.toString());
        assertThat(exported.exit()).as(exported.output()).isZero();
        assertThat(exported.output()).contains("signed by the bus");
        assertThat(Files.readString(export)).contains(referralId);
        assertThat(work.resolve("trail.jsonl.sig")).isNotEmptyFile();

        Run agencyReadsTrail = run("audit", "story", referralId, "--cert", "keys-sample/agencies/border-service.crt",
                "--key", "keys-sample/agencies/border-service.key");
        assertThat(agencyReadsTrail.exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(agencyReadsTrail.output()).contains("(forbidden)");
    }

    @Test
    void aFolderGetsProgressAndASummaryAndInvalidFilesAreReportedWithLineAndColumn() throws Exception {
        Path folder = Files.createDirectories(work.resolve("batch"));
        write("batch/a.xml", ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));
        write("batch/b.xml", ReferralExamples.withFreshId(ReferralExamples.example("border-service-need-outside-consent")));
        write("batch/c.xml", ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"))
                .replaceFirst("<referralId>", "<unexpected/><referralId>"));
        write("batch/D.XML", ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));

        Path aFile = write("not-a-folder", "a file where the receipts' folder would go"); // tests run as root: no read-only folder
        Run nowhereToSave = run("submit", folder.toString(), "--receipts", aFile.resolve("receipts").toString());
        assertThat(nowhereToSave.exit()).as(nowhereToSave.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(nowhereToSave.output()).contains("Cannot save receipts in", "nothing was sent").doesNotContain("[1/4]");

        Run batch = run("submit", folder.toString());

        assertThat(batch.exit()).as(batch.output()).isEqualTo(ClientCommands.REFUSED);
        assertThat(batch.output()).contains("[1/4]", "[4/4]", "4 files: 3 submitted, 1 not submitted")
                .containsPattern("c\\.xml:\\d+:\\d+: .*unexpected");
        assertThat(folder.resolve("a.receipt.json")).exists();
        assertThat(folder.resolve("D.receipt.json")).as("an upper-case .XML is a referral too").exists();
        assertThat(folder.resolve("c.receipt.json")).doesNotExist();
    }

    /**
     * A receipt that cannot be saved after the bus took the referral (a full disk, a folder made read-only during the
     * run; here its name taken by a folder, as tests run as root) stopped the run with no file named, and the clerk took
     * it for not sent. Said now with the file and the id, as received; running the same command again saves it.
     */
    @Test
    void aReceiptThatCannotBeSavedNamesItsFileAndReferralAndTheSameCommandAgainSavesIt() throws Exception {
        Path folder = Files.createDirectories(work.resolve("week"));
        write("week/a.xml", ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));
        String b = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        write("week/b.xml", b);
        write("week/c.xml", ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));
        Path blocked = Files.createDirectories(folder.resolve("b.receipt.sig"));
        Files.writeString(blocked.resolve("x"), "in the way");

        Run batch = run("submit", folder.toString());

        String bId = ReferralExamples.referralId(b);
        assertThat(batch.exit()).as(batch.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(batch.output()).contains("[2/3]", folder.resolve("b.xml") + ": received by the bus (ROUTED " + bId + "), but its receipt"
                + " was NOT saved; 1 of 3 submitted before this, the files after it not sent.",
                "error: Referral " + bId + " (" + folder.resolve("b.xml") + ") WAS received by the bus (ROUTED",
                "could not be saved as " + blocked + " (", "then run the same command again, which gets the same receipt back")
                .doesNotContain("[3/3]", "Exception", "\tat ");
        assertThat(folder.resolve("c.receipt.json")).doesNotExist();
        String aReceipt = Files.readString(folder.resolve("a.receipt.json"));
        assertThat(temporaryFiles(folder)).isEmpty();

        org.springframework.util.FileSystemUtils.deleteRecursively(blocked);
        Run again = run("submit", folder.toString());

        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("b.xml: ROUTED " + bId + " (already submitted: same receipt), receipt verified and saved",
                "3 files: 3 submitted, 0 not submitted");
        assertThat(Files.readString(folder.resolve("b.receipt.json"))).contains(bId);
        assertThat(folder.resolve("b.receipt.sig")).isRegularFile().isNotEmptyFile();
        assertThat(Files.readString(folder.resolve("a.receipt.json"))).as("the bus's stored receipt, the same bytes").isEqualTo(aReceipt);
    }

    @Test
    void wrongParticipantMissingFileUnknownIdAndUnreachableBusAreOneSentenceEach() throws Exception {
        Path file = write("border.xml", ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));

        Run otherAgency = run("submit", file.toString(), "--as", "iom-mission");
        assertThat(otherAgency.exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(otherAgency.output()).contains("use --as border-service");

        Run noSuchSample = run("submit", file.toString(), "--as", "nobody");
        assertThat(noSuchSample.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(noSuchSample.output()).startsWith("error: No sample agency \"nobody\"");

        Run missing = run("submit", work.resolve("nothing.xml").toString());
        assertThat(missing.exit()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(missing.output()).contains("There is no file or folder");

        Run notFound = run("status", "00000000-0000-0000-0000-000000000000");
        assertThat(notFound.exit()).isEqualTo(ClientCommands.REFUSED);
        assertThat(notFound.output()).contains("(not_found)");

        Run providerSubmits = runAt(baseUrl(), "submit", file.toString(), "--cert", "keys-sample/providers/shelter-dushanbe.crt",
                "--key", "keys-sample/providers/shelter-dushanbe.key");
        assertThat(providerSubmits.exit()).isEqualTo(ClientCommands.REFUSED);

        Run unreachable = runAt("https://127.0.0.1:1", "submit", file.toString(), "--retry-delay", "10");
        assertThat(unreachable.exit()).isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(unreachable.output()).contains("Cannot reach the bus at https://127.0.0.1:1 (tried 4 times)");

        for (Run run : List.of(otherAgency, noSuchSample, missing, notFound, providerSubmits, unreachable)) {
            assertThat(run.output()).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void everySubcommandHasHelp() {
        for (String command : List.of("submit", "status", "inbox", "fetch", "ack", "close", "listen", "audit story", "audit export",
                "audit verify-export", "keys init", "participant add", "participant revoke")) {
            Run help = runAt(baseUrl(), (command + " --help").split(" "));
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.output()).contains("Usage:", "Exit codes:");
        }
    }

    private String deliveryFor(String providerId, String referralId) {
        Run inbox = run("inbox", "--as", providerId);
        Matcher m = Pattern.compile("(\\S+)  referral " + Pattern.quote(referralId)).matcher(inbox.output());
        return m.find() ? m.group(1) : null;
    }

    /** Temporary names a write or a crash could leave ({@code .NAME.part}). */
    private static List<String> temporaryFiles(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
        }
    }

    private Path write(String name, String xml) throws Exception {
        return Files.writeString(work.resolve(name), xml, StandardCharsets.UTF_8);
    }

    private record Run(int exit, String output) {
    }

    private Run run(String... args) {
        return runAt(baseUrl(), args);
    }

    private static Run runAt(String bus, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--help")) {
            all.add("--bus");
            all.add(bus);
        }
        StringWriter out = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(out), all.toArray(String[]::new));
        return new Run(exit, out.toString());
    }
}
