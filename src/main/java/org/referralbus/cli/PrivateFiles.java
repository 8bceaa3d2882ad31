package org.referralbus.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.referralbus.core.OwnerOnlyFiles;

/**
 * Files the command line writes for a participant: a fetched referral is readable personal data, so it is created
 * owner-only ({@link OwnerOnlyFiles}) in a folder created owner-only, like the keys the key commands write, never
 * readable by every account on a shared office computer.
 *
 * <p>Implementation note: a file lands whole or not at all. It is written under {@link #temporaryName} in the same
 * folder, forced, renamed over the target (atomically where the file system can), and the folder forced; a crash or
 * power cut leaves the earlier file (a receipt, the agency's only proof) or the new one, never neither. A temporary
 * file a crash left behind starts with a dot and ends in {@code .part}, so no command takes it for a delivery, a
 * receipt or a referral ({@code submit DIR} reads {@code *.xml} only), and the next write of that file replaces it.
 */
final class PrivateFiles {

    private PrivateFiles() {
    }

    /** On disk, owner-only, before it returns; an existing file is replaced only once the new one is complete. */
    static void write(Path file, byte[] content) throws IOException {
        Path folder = OwnerOnlyFiles.folder(file.toAbsolutePath().getParent());
        Path target = folder.resolve(file.getFileName());
        Path temporary = folder.resolve(temporaryName(file));
        Files.deleteIfExists(temporary); // a crash's leftover
        OwnerOnlyFiles.create(temporary); // a readable referral: owner only, before a byte is in it
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

    /** {@code .NAME.part}: hidden, and never ending in a name a command reads. */
    static String temporaryName(Path file) {
        return "." + file.getFileName() + ".part";
    }

    /** A folder that is there, or made owner-only, and writable: checked before anything is fetched or sent. */
    static boolean writableFolder(Path folder) {
        try {
            return Files.isWritable(OwnerOnlyFiles.folder(folder));
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
