package org.referralbus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.referralbus.core.OwnerOnlyFiles;

/**
 * Files the command line writes for a participant: a fetched referral is readable personal data, so it is created
 * owner-only ({@link OwnerOnlyFiles}) in a folder created owner-only, like the keys the key commands write, never
 * readable by every account on a shared office computer.
 */
final class PrivateFiles {

    private PrivateFiles() {
    }

    /** A new empty owner-only file; an existing one is replaced. */
    static Path create(Path file) throws IOException {
        Files.deleteIfExists(file);
        return OwnerOnlyFiles.create(file);
    }

    static void write(Path file, byte[] content) throws IOException {
        OwnerOnlyFiles.folder(file.toAbsolutePath().getParent());
        Files.write(create(file), content);
    }
}
