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

    @Test
    void withoutMavenFetchSaysWhereToPutTheDistributionAndThenUnpacksItFromThere() throws Exception {
        Path work = Files.createDirectories(operatorFolder.resolve("artemis-work"));
        Path tools = toolsWithoutMaven();

        Run missing = fetch(work, tools);
        assertThat(missing.exit()).as(missing.output()).isEqualTo(2);
        assertThat(missing.output()).contains("Maven (mvn) is not installed to fetch apache-artemis 2.40.0",
                "put apache-artemis-2.40.0-bin.tar.gz", "in " + work.toRealPath());

        // The archive as downloaded by hand: unpacked without Maven.
        Path unpacked = Files.createDirectories(operatorFolder.resolve("dist/apache-artemis-2.40.0/bin")).resolve("artemis");
        Files.writeString(unpacked, "#!/bin/sh\n");
        Files.setPosixFilePermissions(unpacked, PosixFilePermissions.fromString("rwx------"));
        Process tar = new ProcessBuilder("tar", "-czf", work.resolve("apache-artemis-2.40.0-bin.tar.gz").toString(), "-C",
                operatorFolder.resolve("dist").toString(), "apache-artemis-2.40.0").inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        Run fetched = fetch(work, tools);
        assertThat(fetched.exit()).as(fetched.output()).isZero();
        assertThat(work.resolve("apache-artemis-2.40.0/bin/artemis")).isExecutable();
    }

    /** An archive downloaded or copied only in part got tar's and gzip's own words ("Unexpected EOF in archive"). */
    @Test
    void anArchiveCutShortIsNamedWithWhatToDoAndNotUnpacked() throws Exception {
        Path work = Files.createDirectories(operatorFolder.resolve("artemis-work"));
        Path unpacked = Files.createDirectories(operatorFolder.resolve("dist/apache-artemis-2.40.0/bin")).resolve("artemis");
        byte[] filler = new byte[512 * 1024];
        new java.util.Random(7).nextBytes(filler); // does not compress: the half below is mid-stream
        Files.write(unpacked.resolveSibling("filler"), filler);
        Files.writeString(unpacked, "#!/bin/sh\n");
        Path archive = work.resolve("apache-artemis-2.40.0-bin.tar.gz");
        Process tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", operatorFolder.resolve("dist").toString(),
                "apache-artemis-2.40.0").inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2));

        Run fetched = fetch(work, toolsWithoutMaven());

        assertThat(fetched.exit()).as(fetched.output()).isEqualTo(2);
        assertThat(fetched.output().strip()).isEqualTo("artemis.sh: " + work.toRealPath().resolve("apache-artemis-2.40.0-bin.tar.gz")
                + " is not a whole archive (a download cut short, or copied half-way?): delete it and run 'deploy/artemis.sh"
                + " fetch' again, or put a whole copy there");
        assertThat(work.resolve("apache-artemis-2.40.0")).doesNotExist();
    }

    private Path toolsWithoutMaven() throws Exception {
        Path tools = Files.createDirectories(operatorFolder.resolve("tools-without-maven"));
        for (String tool : new String[] {"bash", "dirname", "mkdir", "tar", "gzip", "pwd"}) {
            for (String folder : new String[] {"/usr/bin/", "/bin/"}) {
                if (Files.isExecutable(Path.of(folder + tool)) && !Files.exists(tools.resolve(tool))) {
                    Files.createSymbolicLink(tools.resolve(tool), Path.of(folder + tool));
                }
            }
        }
        return tools;
    }

    private record Run(int exit, String output) {
    }

    private Run fetch(Path work, Path tools) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(tools.resolve("bash").toString(), Path.of("deploy/artemis.sh").toAbsolutePath().toString(),
                "fetch").directory(operatorFolder.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", tools.toString());
        builder.environment().put("ARTEMIS_WORK", work.toString());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
