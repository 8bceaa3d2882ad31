package org.referralbus.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.referralbus.core.OwnerOnlyFiles;

/**
 * Files the command line writes for a participant: a fetched referral is readable personal data, so it is created
 * owner-only ({@link OwnerOnlyFiles}) in a folder created owner-only, like the keys the key commands write, never
 * readable by every account on a shared office computer.
 *
 * <p>Implementation note: a file lands whole or not at all. It is written under {@link #temporaryName} in the same
 * folder, forced, renamed over the target (atomically where the file system can), and the folder forced; a crash or
 * power cut leaves the earlier file (a receipt, the agency's only proof) or the new one, never neither. The temporary
 * name is new for every write ({@code .NAME.<16 hex digits>.part}): two runs writing one file at the same moment (two
 * clerks fetching the same delivery) shared {@code .NAME.part}, and one deleted, truncated or renamed away the other's
 * half-written file. A write that fails removes its own temporary file; one a crash left behind starts with a dot and
 * ends in {@code .part}, so no command takes it for a delivery, a receipt or a referral ({@code submit DIR} reads
 * {@code *.xml} only). The single name earlier versions used, {@code .NAME.part}, is removed by the next write; the
 * unique ones a crash left are removed by {@link #removeStaleTemporaries} when {@code fetch} or {@code listen} starts.
 */
final class PrivateFiles {

    private PrivateFiles() {
    }

    /** On disk, owner-only, before it returns; an existing file is replaced only once the new one is complete. */
    static void write(Path file, byte[] content) throws IOException {
        Path folder = OwnerOnlyFiles.folder(file.toAbsolutePath().getParent());
        Path target = folder.resolve(file.getFileName());
        removeEarlierVersionsLeftover(folder, file.getFileName().toString());
        Path temporary = OwnerOnlyFiles.create(folder.resolve(temporaryName(file))); // owner only before a byte is in it; never shared
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException notHere) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary); // the target is as it was; no half-written leftover
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        forceFolder(folder);
    }

    /** {@code .NAME.part}, which no write uses now; what stands there (a folder, a name too long) is no reason to fail. */
    private static void removeEarlierVersionsLeftover(Path folder, String name) {
        try {
            Files.deleteIfExists(folder.resolve("." + name + ".part"));
        } catch (IOException | RuntimeException notALeftover) {
            // left as it is
        }
    }

    /**
     * {@code .NAME.<16 hex digits>.part}, new for each write: hidden, and never ending in a name a command reads. A long
     * NAME is shortened, so that a file whose own name the file system takes (255 bytes) gets a temporary one too.
     */
    static String temporaryName(Path file) {
        String name = file.getFileName().toString();
        while (name.getBytes(StandardCharsets.UTF_8).length > LONGEST_NAME_IN_TEMPORARY) {
            name = name.substring(0, name.length() - (Character.isLowSurrogate(name.charAt(name.length() - 1)) ? 2 : 1));
        }
        return "." + name + "." + HexFormat.of().toHexDigits(UNIQUE.nextLong()) + ".part";
    }

    /**
     * Removes from {@code folder} (not below it) the temporary files of {@link #write} that a crash or power cut left:
     * exactly {@code .NAME.<16 hex digits>.part}, a plain file, last written more than {@link #STALE_AFTER} ago, so
     * that a file another run is writing now (a second {@code fetch}, a {@code listen}) is never touched: a write takes
     * milliseconds. Each such file held a whole or partial copy of personal data, and stayed forever. A folder that is
     * not there yet has none; a file that cannot be removed is left and not counted.
     *
     * @return how many were removed
     */
    static int removeStaleTemporaries(Path folder, Instant now) {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> listing = Files.list(folder)) {
            for (Path candidate : (Iterable<Path>) listing::iterator) {
                if (TEMPORARY_NAME.matcher(candidate.getFileName().toString()).matches() && stale(candidate, now)) {
                    try {
                        Files.delete(candidate);
                        removed++;
                    } catch (IOException | RuntimeException notRemoved) {
                        // left as it is: a leftover is hidden and read by no command
                    }
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // the folder is checked for writing elsewhere; leftovers are no reason to fail
        }
        return removed;
    }

    /** {@link #removeStaleTemporaries} now, said in one line when there were any (fetch and listen, as they start). */
    static void removeStaleTemporaries(Path folder, PrintWriter console) {
        int removed = removeStaleTemporaries(folder, Instant.now());
        if (removed > 0) {
            console.println("removed " + removed + " temporary file" + (removed == 1 ? "" : "s") + " left in " + folder
                    + " by an interrupted run (.NAME.<16 hex digits>.part, older than " + STALE_AFTER.toMinutes() + " minutes)");
            console.flush();
        }
    }

    private static boolean stale(Path file, Instant now) {
        try {
            var attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isBefore(now.minus(STALE_AFTER));
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** What {@link #temporaryName} makes, and nothing else. */
    private static final Pattern TEMPORARY_NAME = Pattern.compile("\\..+\\.[0-9a-f]{16}\\.part");

    /** Far beyond the milliseconds a write takes, however slow the disk: a temporary file this old is no run's. */
    static final Duration STALE_AFTER = Duration.ofMinutes(15);

    /** 255 bytes (the usual limit of a file name) less the dots, the 16 digits and {@code .part}. */
    private static final int LONGEST_NAME_IN_TEMPORARY = 255 - 23;
    private static final SecureRandom UNIQUE = new SecureRandom();

    /** A folder that is there, or made owner-only, and writable: checked before anything is fetched or sent. */
    static boolean writableFolder(Path folder) {
        try {
            return Files.isWritable(OwnerOnlyFiles.folder(folder));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * A folder that is there and writable, or that could be made: the nearest folder above it that is there is writable
     * (and no file stands in its way). Creates nothing: {@code fetch} made its {@code inbox} for an empty inbox.
     */
    static boolean writableOrCanBeMade(Path folder) {
        Path existing = folder.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.isDirectory(existing) && Files.isWritable(existing);
    }

    /** The rename itself on disk; some file systems (and Windows) cannot open or force a folder: the file is forced. */
    private static void forceFolder(Path folder) {
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | RuntimeException unsupported) {
            // nothing more Java can do here
        }
    }
}
