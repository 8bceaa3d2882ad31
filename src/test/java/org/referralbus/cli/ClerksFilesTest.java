package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.referralbus.cli.BadLineBus.Answer;
import org.referralbus.cli.BadLineBus.Cut;
import org.referralbus.support.ReferralExamples;

/** Referral files as an office saves them, said for what they are before anything is sent (a stand-in bus, {@link BadLineBus}). */
class ClerksFilesTest extends StandInBusTest {

    /** Notepad's "Unicode" is UTF-16 with a byte-order mark: it was called "a sealed envelope or another binary file". */
    @Test
    void aReferralSavedAsUtf16IsSaidToBeUtf16NotABinaryFile() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null);
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        Path file = Files.write(work.resolve("referral.xml"), ("\uFEFF" + xml).getBytes(StandardCharsets.UTF_16LE));

        CommandRun submit = CommandRun.at(bus.address(), "submit", file.toString(), "--retry-delay", "10");

        assertThat(submit.exit()).as(submit.output()).isEqualTo(ClientCommands.REFUSED);
        assertThat(submit.output()).contains("UTF-16", "save it again as UTF-8", "nothing sent")
                .doesNotContain("binary", "sealed envelope");
        assertThat(bus.requests("POST", "/api/v1/referrals")).isEmpty();
    }

    /** A folder (or an empty name) as the export's --out was said to be "an earlier export", kept as evidence. */
    @Test
    void aFolderGivenAsTheExportsFileIsSaidToBeAFolderAndNothingIsDownloaded() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null);

        CommandRun folder = CommandRun.at(bus.address(), "audit", "export", "--out", work.toString());
        CommandRun empty = CommandRun.at(bus.address(), "audit", "export", "--out", "");

        assertThat(folder.exit()).as(folder.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(folder.output().strip()).isEqualTo("error: " + work + " is a folder: give --out the file to save the export"
                + " as (e.g. " + work.resolve("trail.jsonl") + "); nothing was downloaded.");
        assertThat(empty.exit()).as(empty.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(empty.output()).contains("--out was given an empty name", "nothing was downloaded")
                .doesNotContain("exists already");
        assertThat(bus.requests("GET", "/")).as("not even connected").isEmpty();
    }

    /**
     * {@code submit "$FILE"} with the variable unset: an empty path is the working folder, and every referral in it was
     * sent (and the others reported refused) where the clerk meant one file.
     */
    @Test
    void anEmptyFileNameSendsNothingRatherThanTheWholeWorkingFolder() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null);

        CommandRun submit = CommandRun.at(bus.address(), "submit", "", "--retry-delay", "10");

        assertThat(submit.exit()).as(submit.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(submit.output().strip()).startsWith("error: An empty file name").contains("nothing was sent")
                .doesNotContain("[1/");
        assertThat(bus.requests("POST", "/api/v1/referrals")).isEmpty();
        assertThat(bus.requests("GET", "/")).as("not even connected").isEmpty();
    }

    /** A USB stick from a Mac carries {@code ._name.xml} beside each file, an editor leaves {@code ~$name.xml}: not the clerk's. */
    @Test
    void aFolderIsSubmittedWithoutTheFilesOtherProgramsLeftInIt() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> Answer.json(400,
                "{\"type\":\"urn:referral-bus:problem:invalid_referral\",\"status\":400,\"code\":\"invalid_referral\",\"detail\":\"stand-in\"}"));
        Path folder = Files.createDirectories(work.resolve("monday"));
        Files.writeString(folder.resolve("referral.xml"),
                ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));
        Files.write(folder.resolve("._referral.xml"), new byte[] {0, 5, 22, 7, 0, 2, 0, 0}); // AppleDouble
        Files.writeString(folder.resolve("~$referral.xml"), "lock");
        Files.writeString(folder.resolve(".draft.xml"), "<referral/>");

        CommandRun submit = CommandRun.at(bus.address(), "submit", folder.toString(), "--retry-delay", "10");

        assertThat(submit.output()).contains("referral.xml").doesNotContain("._referral.xml", "~$referral.xml", ".draft.xml");
        assertThat(bus.requests("POST", "/api/v1/referrals")).hasSize(1);
    }

    /**
     * {@code fetch --out} checked only when the first copy was written: the download went for nothing, and the clerk met
     * the mistake after the bus had handed the copy out. Now said first, as {@code submit} says of its receipts' folder.
     */
    @Test
    void fetchSaysItsOutFolderCannotBeWrittenBeforeDownloadingAnything() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null);
        Path aFile = Files.writeString(work.resolve("not-a-folder"), "a file where the inbox folder would go"); // tests run as root

        CommandRun fetch = CommandRun.at(bus.address(), "fetch", "--all", "--out", aFile.resolve("inbox").toString(),
                "--retry-delay", "10");

        assertThat(fetch.exit()).as(fetch.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(fetch.output().strip()).isEqualTo("error: Cannot save deliveries in " + aFile.resolve("inbox")
                + ": give --out a folder you may write to; nothing was fetched.");
        assertThat(bus.requests("GET", "/")).as("nothing downloaded, not even the inbox listed").isEmpty();
    }

    /**
     * A crash or power cut between a temporary file and its rename left {@code .NAME.<16 hex>.part} in the inbox
     * forever, each a whole or half copy of a referral: {@code fetch} and {@code listen} remove the stale ones as they
     * start, and say how many (listen here with no broker to reach: the folder is tidied before it connects).
     */
    @Test
    void fetchAndListenRemoveTheTemporaryFilesACrashLeftAndSaySo() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> Answer.json(200, "{\"deliveries\":[]}"));
        Path inbox = Files.createDirectories(work.resolve("inbox"));
        java.nio.file.attribute.FileTime hourAgo = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600));
        for (String name : java.util.List.of(".d-1.xml.0123456789abcdef.part", ".d-1.json.0123456789abcdef.part")) {
            Files.setLastModifiedTime(Files.writeString(inbox.resolve(name), "half a delivery"), hourAgo);
        }
        Path now = Files.writeString(inbox.resolve(".d-2.xml.0011223344556677.part"), "another run's, being written");

        CommandRun fetch = CommandRun.at(bus.address(), "fetch", "--all", "--out", inbox.toString(), "--retry-delay", "10");

        assertThat(fetch.exit()).as(fetch.output()).isZero();
        assertThat(fetch.output()).containsOnlyOnce("removed 2 temporary files left in " + inbox + " by an interrupted run"
                + " (.NAME.<16 hex digits>.part, older than 15 minutes)");
        assertThat(inbox.resolve(".d-1.xml.0123456789abcdef.part")).doesNotExist();
        assertThat(now).as("a file another run is writing now").exists();

        Files.setLastModifiedTime(now, hourAgo);
        CommandRun listen = CommandRun.offline("listen", "--as", "legal-aid-khujand", "--broker", "amqps://localhost:61631",
                "--out", inbox.toString());

        assertThat(listen.output()).as(listen.output()).contains("removed 1 temporary file left in " + inbox);
        assertThat(now).doesNotExist();
    }

    /** {@code fetch --all} with nothing waiting made an empty {@code inbox} folder a clerk then looked in for copies. */
    @Test
    void fetchOfAnEmptyInboxCreatesNoFolder() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> Answer.json(200, "{\"deliveries\":[]}"));
        Path inbox = work.resolve("inbox");

        CommandRun fetch = CommandRun.at(bus.address(), "fetch", "--all", "--out", inbox.toString(), "--retry-delay", "10");

        assertThat(fetch.exit()).as(fetch.output()).isZero();
        assertThat(fetch.output()).contains("is empty: nothing to fetch");
        assertThat(inbox).doesNotExist();
    }

    /**
     * A referral file the clerk may not read was reported per file, "refused" with exit 1, where the exit-code table puts
     * a file that is not there under 2 (could not run, nothing sent). As root nothing is unreadable by permissions, so
     * there the file is a link to one no account can read ({@code /proc/self/mem}: an I/O error at its start).
     */
    @Test
    void anUnreadableReferralFileIsCouldNotRunAndNothingIsSent() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> Answer.json(400,
                "{\"code\":\"invalid_referral\",\"status\":400,\"detail\":\"stand-in\"}"));
        Path folder = Files.createDirectories(work.resolve("monday"));
        Files.writeString(folder.resolve("a.xml"),
                ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));
        Path locked = unreadable(folder.resolve("b.xml"));

        CommandRun one = CommandRun.at(bus.address(), "submit", locked.toString(), "--retry-delay", "10");
        CommandRun all = CommandRun.at(bus.address(), "submit", folder.toString(), "--retry-delay", "10");

        assertThat(one.exit()).as(one.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(one.output().strip()).startsWith("error: The file " + locked + " cannot be read (")
                .contains("check its permissions", "nothing was sent").doesNotContain("Exception");
        assertThat(all.exit()).as(all.output()).isEqualTo(ClientCommands.CANNOT_RUN);
        assertThat(all.output()).contains("The file " + locked + " cannot be read", "nothing was sent").doesNotContain("[1/2]");
        assertThat(bus.requests("POST", "/api/v1/referrals")).isEmpty();
    }

    /**
     * A file readable when the run began that is gone by its turn (moved, deleted, a USB stick pulled) was "could not
     * run", exit 2, whose row says nothing was sent, after earlier files of the run had been: said now as a run that
     * stopped part-way, with how many went and that running it again is safe, exit 1 as for a run where some failed.
     */
    @Test
    void aFileThatVanishesDuringTheRunSaysHowManyWereSubmittedBeforeIt() throws Exception {
        Path folder = Files.createDirectories(work.resolve("tuesday"));
        for (String name : java.util.List.of("a.xml", "b.xml", "c.xml")) {
            Files.writeString(folder.resolve(name),
                    ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));
        }
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> {
            try {
                Files.delete(folder.resolve("b.xml")); // after the pre-check, before b's turn
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return Answer.json(201, "{\"referralId\":\"a\",\"status\":\"ROUTED\"}");
        }).signingReceipts();

        CommandRun submit = CommandRun.at(bus.address(), "submit", folder.toString(), "--retry-delay", "10");

        assertThat(submit.exit()).as(submit.output()).isEqualTo(ClientCommands.REFUSED);
        assertThat(submit.output()).contains("[1/3]", "a.xml: ROUTED a, receipt verified and saved",
                "[2/3]", folder.resolve("b.xml") + ": cannot be read (it is no longer there); 1 of 3 submitted before this,"
                        + " the files after it not sent.",
                "error: The run stopped at " + folder.resolve("b.xml") + ", which could be read when it began but not now (it is"
                        + " no longer there): 1 of 3 files were submitted before it and the 1 after it were not sent;",
                "run the same command again, which is safe")
                .doesNotContain("[3/3]", "nothing was sent", "Exception", "\tat ");
        assertThat(bus.requests("POST", "/api/v1/referrals")).hasSize(1);
        assertThat(folder.resolve("a.receipt.json")).exists();
    }

    /**
     * What {@code submit --help} says of a run that stopped part-way is what the run does (above) and what integrators.md's
     * exit-code table says: exit 1, "N of M submitted before this". The help named exit 1 only for an invalid or refused
     * file, and a script's author who read it took a stopped run for a finished one.
     */
    @Test
    void submitsHelpSaysARunThatStoppedPartWayExitsOneWithHowManyWent() throws Exception {
        CommandRun help = CommandRun.offline("submit", "--help");

        String said = help.output().replaceAll("\\s+", " ");
        assertThat(help.exit()).isZero();
        assertThat(said).contains("Exit codes: 0 all submitted; 1 a file is invalid or was refused; 2 could not run;",
                "It stops part-way at a file it can no longer read (moved, deleted, a USB stick pulled out), saying \"N of M"
                        + " submitted before this\": exit 1", "though the bus received its referral: exit 2",
                "Running the same command again is safe");
        assertThat(Files.readString(Path.of("docs/integrators.md")).replaceAll("\\s+", " ")).as("the exit-code table agrees")
                .contains("| 1 | refused: ", "also a `submit` of several files that stopped part-way at a file it could no longer"
                        + " read (the sentence says how many were submitted before it)");
    }

    private static Path unreadable(Path file) throws Exception {
        Files.writeString(file, "<referral/>");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(file)) {
            return file;
        }
        Files.delete(file); // root reads any file: a link to one that fails to read instead
        return Files.createSymbolicLink(file, Path.of("/proc/self/mem"));
    }

    /**
     * A file too large for the bus was refused {@code payload_too_large} only after the whole upload (minutes on a slow
     * line). The bus says its limit with its certificate, which submit fetches first: said now before anything is sent.
     */
    @Test
    void aReferralLargerThanTheBusTakesIsSaidBeforeItIsSent() throws Exception {
        bus = new BadLineBus(n -> false, Cut.CLOSE, (request, before) -> null).takingEnvelopesUpTo(1024);
        Path file = Files.writeString(work.resolve("referral.xml"),
                ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe")));

        CommandRun submit = CommandRun.at(bus.address(), "submit", file.toString(), "--retry-delay", "10");

        assertThat(submit.exit()).as(submit.output()).isEqualTo(ClientCommands.REFUSED);
        assertThat(submit.output().strip()).startsWith(file + ": is ").contains(" bytes once sealed, more than the bus takes"
                + " (1024 bytes: payload_too_large); nothing sent.", "no attachment").doesNotContain("Exception");
        assertThat(bus.requests("POST", "/api/v1/referrals")).as("nothing uploaded").isEmpty();
    }
}
