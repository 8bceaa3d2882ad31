package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files {@code fetch}, {@code submit}, {@code listen} and {@code audit export} write land whole: a receipt replaced
 * by delete-then-write was gone, or half there, for as long as the write took (a crash then lost the agency's proof).
 */
class PrivateFilesTest {

    @TempDir
    Path work;

    @Test
    void aFileBeingReplacedIsAlwaysTheWholeEarlierOrTheWholeNewOne() throws Exception {
        Path receipt = work.resolve("referral.receipt.json");
        byte[] earlier = filled(256 * 1024, 'a');
        byte[] later = filled(256 * 1024, 'b');
        PrivateFiles.write(receipt, earlier);
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch reading = new CountDownLatch(1);
        CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
            while (writing.get()) {
                try {
                    byte[] now = Files.readAllBytes(receipt);
                    reading.countDown();
                    if (!Arrays.equals(now, earlier) && !Arrays.equals(now, later)) {
                        return "a file of " + now.length + " bytes, neither the earlier nor the new one";
                    }
                } catch (NoSuchFileException gone) {
                    return "no file at all";
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            }
            return "whole every time";
        });

        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 60; i++) {
            PrivateFiles.write(receipt, i % 2 == 0 ? later : earlier);
        }
        writing.set(false);

        assertThat(seen.get()).as("what a reader (or a crash) found while the file was replaced").isEqualTo("whole every time");
    }

    @Test
    void aTemporaryFileACrashLeftIsReplacedAndNoneRemains() throws Exception {
        Path folder = work.resolve("inbox");
        Path stale = folder.resolve(".d-1.xml.part");
        Files.createDirectories(folder);
        Files.writeString(stale, "half a delivery, from a power cut");

        PrivateFiles.write(folder.resolve("d-1.xml"), "<delivery/>".getBytes());

        assertThat(Files.readString(folder.resolve("d-1.xml"))).isEqualTo("<delivery/>");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("d-1.xml")))).isEqualTo("rw-------");
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("d-1.xml");
        }
    }

    /**
     * Two runs writing one file at the same moment (two clerks fetching the same delivery into one shared folder) shared
     * the temporary name {@code .NAME.part}: one deleted or renamed away the other's, and a write failed or landed half.
     */
    @Test
    void twoWritesOfOneFileAtTheSameMomentEachLandWholeUnderTheirOwnTemporaryName() throws Exception {
        Path delivery = work.resolve("inbox/d-3.xml");
        byte[] first = filled(64 * 1024, 'a');
        byte[] second = filled(64 * 1024, 'b');
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService runs = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<?>> writes = new java.util.ArrayList<>();
            for (byte[] content : java.util.List.of(first, second)) {
                writes.add(runs.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        together.await(10, TimeUnit.SECONDS);
                        PrivateFiles.write(delivery, content);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS); // a failed write is thrown here
            }
        } finally {
            runs.shutdownNow();
        }

        assertThat(Files.readAllBytes(delivery)).satisfiesAnyOf(
                content -> assertThat(content).isEqualTo(first), content -> assertThat(content).isEqualTo(second));
        try (var files = Files.list(delivery.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("d-3.xml");
        }
    }

    @Test
    void eachWriteHasATemporaryNameOfItsOwnInTheSameFolderHiddenAndNotAReferral() {
        Path receipt = work.resolve("referral.receipt.json");

        String one = PrivateFiles.temporaryName(receipt);
        String other = PrivateFiles.temporaryName(receipt);

        assertThat(one).isNotEqualTo(other).matches("\\.referral\\.receipt\\.json\\.[0-9a-f]{16}\\.part");
        assertThat(PrivateFiles.temporaryName(work.resolve("x".repeat(255))).length()).as("within a file name's 255 bytes")
                .isLessThanOrEqualTo(255);
    }

    /** A write that cannot land (here a folder stands where the file goes) leaves the folder as it was. */
    @Test
    void aWriteThatFailsLeavesNoTemporaryFileBehind() throws Exception {
        Path folder = work.resolve("receipts");
        Files.createDirectories(folder.resolve("referral.receipt.json").resolve("in-the-way"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PrivateFiles.write(folder.resolve("referral.receipt.json"),
                "{}".getBytes())).isInstanceOf(java.io.IOException.class);

        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("referral.receipt.json");
        }
    }

    @Test
    void aFolderItCreatesIsTheOwnersOnly() throws Exception {
        PrivateFiles.write(work.resolve("new/inbox/d-2.json"), "{}".getBytes());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("new/inbox")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("new/inbox/d-2.json")))).isEqualTo("rw-------");
    }

    /**
     * A crash between the temporary file and its rename left {@code .NAME.<16 hex>.part} forever, a half copy of
     * personal data. Only that exact name, only a plain file, only when older than any write takes: another run's file
     * being written now is never touched, nor anything else in the folder.
     */
    @Test
    void staleTemporaryFilesOfItsOwnNameAreRemovedAndNothingElse() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(now.minus(PrivateFiles.STALE_AFTER).minusSeconds(60));
        Path stale = aged(work.resolve(".d-1.xml.0123456789abcdef.part"), old);
        Path staleJson = aged(work.resolve(".d-1.json.fedcba9876543210.part"), old);
        Path beingWritten = work.resolve(".d-2.xml.00112233aabbccdd.part");
        Files.writeString(beingWritten, "another run's, now");
        java.util.List<Path> kept = java.util.List.of(
                aged(work.resolve("d-1.xml"), old),
                aged(work.resolve(".d-1.xml.part"), old), // earlier versions' single name: the next write of d-1.xml removes it
                aged(work.resolve("d-3.xml.0123456789abcdef.part"), old), // not hidden: not ours
                aged(work.resolve(".d-3.xml.0123456789ABCDEF.part"), old), // upper case: not ours
                aged(work.resolve(".d-3.xml.0123456789abcde.part"), old)); // 15 digits
        Path aFolder = Files.createDirectories(work.resolve(".d-4.xml.0123456789abcdef.part"));
        Files.setLastModifiedTime(aFolder, old);
        Path below = Files.createDirectories(work.resolve("below"));
        Path notInThisFolder = aged(below.resolve(".d-5.xml.0123456789abcdef.part"), old);

        int removed = PrivateFiles.removeStaleTemporaries(work, now);

        assertThat(removed).isEqualTo(2);
        assertThat(stale).doesNotExist();
        assertThat(staleJson).doesNotExist();
        assertThat(beingWritten).exists();
        kept.forEach(file -> assertThat(file).exists());
        assertThat(aFolder).isDirectory();
        assertThat(notInThisFolder).exists();
        assertThat(PrivateFiles.removeStaleTemporaries(work.resolve("not-there-yet"), now)).isZero();
    }

    private static Path aged(Path file, java.nio.file.attribute.FileTime time) throws Exception {
        Files.writeString(file, "left");
        Files.setLastModifiedTime(file, time);
        return file;
    }

    private static byte[] filled(int size, char c) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }
}
