package org.referralbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy/artemis.sh} as an operator calls it, from a folder of their own (no download: a stand-in instance). */
class ArtemisScriptTest {

    @TempDir
    Path operatorFolder;

    @Test
    void aRelativeInstanceIsTheCallersNotTheCheckouts() throws Exception {
        Path stub = Files.createDirectories(operatorFolder.resolve("broker/bin")).resolve("artemis");
        Files.writeString(stub, "#!/bin/sh\necho \"stand-in broker $1\"\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwx------"));

        Process run = new ProcessBuilder(Path.of("deploy/artemis.sh").toAbsolutePath().toString(), "run", "broker")
                .directory(operatorFolder.toFile()).redirectErrorStream(true).start();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains("stand-in broker run");
    }
}
