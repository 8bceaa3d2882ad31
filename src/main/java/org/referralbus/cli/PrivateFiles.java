package org.referralbus.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
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
 * {@code *.xml} only). The single name earlier versions used, {@code .NAME.part}, is removed by the next write.
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
