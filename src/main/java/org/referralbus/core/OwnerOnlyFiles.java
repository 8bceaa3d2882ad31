package org.referralbus.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files and folders created readable by their owner only ({@code rw-------}, {@code rwx------}), before anything is
 * written to them, so a key, a password or a readable referral is never open to other accounts, not even for a moment.
 * On a file system without POSIX permissions they are created plainly: the folder's own access rules apply.
 */
public final class OwnerOnlyFiles {

    private OwnerOnlyFiles() {
    }

    /** A new empty file, its folders made as needed; fails if the file exists. */
    public static Path create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createFile(file);
        }
    }

    /** The folder, and any missing above it, created owner-only; one that exists is left as its owner made it. */
    public static Path folder(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return absolute;
        }
        folder(absolute.getParent());
        try {
            return Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createDirectory(absolute);
        } catch (FileAlreadyExistsException raced) {
            return absolute;
        }
    }
}
