package org.referralbus.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files the command line writes for a participant: a fetched referral is readable personal data, so it is created
 * readable by its owner only ({@code rw-------}, folders it creates {@code rwx------}), like the keys the key commands
 * write, never by every account on a shared office computer. On a file system without POSIX permissions the
 * folder's own access rules apply.
 */
final class PrivateFiles {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** The folder, created owner-only where it does not exist yet (an existing one is left as its owner made it). */
    static Path folder(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return absolute;
        }
        folder(absolute.getParent());
        try {
            return posix(absolute) ? Files.createDirectory(absolute, attribute(FOLDER)) : Files.createDirectory(absolute);
        } catch (FileAlreadyExistsException raced) {
            return absolute;
        }
    }

    /** A new empty file readable by its owner only; an existing one is replaced. */
    static Path create(Path file) throws IOException {
        Files.deleteIfExists(file);
        return posix(file.toAbsolutePath().getParent()) ? Files.createFile(file, attribute(FILE)) : Files.createFile(file);
    }

    static void write(Path file, byte[] content) throws IOException {
        folder(file.toAbsolutePath().getParent());
        Files.write(create(file), content);
    }

    private static boolean posix(Path existing) {
        return Files.getFileAttributeView(existing, java.nio.file.attribute.PosixFileAttributeView.class) != null;
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
