package org.referralbus.participants;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry's certificate files, as one hash: it changes with a file the registry names, and with nothing else. */
class RegistryCertificateFilesTest {

    @TempDir
    Path dir;

    @Test
    void changesWhenACertificateTheRegistryNamesIsRewrittenAndOnlyThen() throws Exception {
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/shelter.crt"), "first certificate");
        Files.writeString(dir.resolve("keys/other.crt"), "not named");
        Path registry = dir.resolve("providers.yaml");
        Files.writeString(registry, """
                providers:
                  - id: shelter
                    certificate: keys/shelter.crt
                """);

        String before = RegistryCertificateFiles.digest(registry);
        assertThat(RegistryCertificateFiles.digest(registry)).isEqualTo(before).hasSize(64);

        Files.writeString(dir.resolve("keys/other.crt"), "changed, but not named");
        assertThat(RegistryCertificateFiles.digest(registry)).isEqualTo(before);

        Files.writeString(dir.resolve("keys/shelter.crt"), "renewed certificate");
        assertThat(RegistryCertificateFiles.digest(registry)).isNotEqualTo(before);

        Files.delete(dir.resolve("keys/shelter.crt"));
        assertThat(RegistryCertificateFiles.digest(registry)).as("a missing file is a change too").isNotEqualTo(before).hasSize(64);
    }

    @Test
    void aBrokenRegistryIsLeftToTheRegistrysOwnReload() throws Exception {
        Path registry = dir.resolve("agencies.yaml");
        Files.writeString(registry, "agencies: [ unclosed");

        assertThat(RegistryCertificateFiles.digest(registry)).isEmpty();
        assertThat(RegistryCertificateFiles.digest(dir.resolve("missing.yaml"))).isEmpty();
    }
}
