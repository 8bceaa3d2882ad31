package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.cli.ReferralBusCommandLine;

/** A tiny {@code bench} run end to end: a real durable bus in a JVM of its own, HTTPS and queue intake, the summary. */
class BenchCommandTest {

    private static final Pattern LAST_LINE = Pattern.compile("end-to-end \\d+\\.\\d/s, ceiling \\d+\\.\\d/s, ratio \\d+\\.\\d\\d");

    @TempDir
    Path data;

    @Test
    @Timeout(900)
    void tinyBenchDeliversEverythingAndEndsWithTheRatioLine() throws Exception {
        StringWriter text = new StringWriter();
        Path gcLog = data.resolveSibling(data.getFileName() + "-gc.log");
        int exit = ReferralBusCommandLine.run(new PrintWriter(text), "bench", "--referrals", "12", "--clients", "4",
                "--queue-referrals", "4", "--latency-referrals", "4", "--settle-seconds", "0.5", "--warmup-referrals", "4", "--ceiling-seconds", "0.5",
                "--prefill", "24", "--data-dir", data.toString(), "--bus-jvm-option=-Xlog:gc,gc+init:file=" + gcLog,
                // C1 only, as every bus this build starts: a tiny run never repays C2's compilations.
                "--bus-jvm-option=-XX:TieredStopAtLevel=1");

        List<String> lines = text.toString().lines().toList();
        assertThat(exit).as(text.toString()).isZero();
        assertThat(lines.get(lines.size() - 1)).matches(LAST_LINE);
        Matcher checked = Pattern.compile("sent / delivered \\(status checked\\)\\s+(\\d+) / (\\d+)")
                .matcher(text.toString());
        assertThat(checked.find()).as(text.toString()).isTrue();
        assertThat(checked.group(2)).as("every referral sent was delivered, the settling ones too").isEqualTo(checked.group(1));
        assertThat(Integer.parseInt(checked.group(1))).as("24 counted, and at least one sent while settling").isGreaterThan(24);
        assertThat(text.toString())
                .containsPattern("refused \\(HTTP status: count\\)\\s+none")
                .containsPattern("copies sealed per referral\\s+3\\.00")
                .contains("peak RSS", "p99", "queue intake", "start-up to ready")
                .as("the heap is read from the bus's metrics").containsPattern("peak heap used / -Xmx\\s+[1-9]\\d* MB / 512m")
                .as("the H2 file, measured while the bus runs").containsPattern("database on disk at the end\\s+[1-9]\\d* MB")
                .as("and again after --prefill").containsPattern("database on disk at the end, prefilled\\s+[1-9]\\d* MB")
                .as("the warm-up, bounded in time, says how many went").containsPattern("warm-up: 4 referrals in \\d+ s")
                .containsPattern("of which JIT compilers / GC\\s+\\d+\\.\\d / \\d+\\.\\d ms")
                .as("each phase says when it began, to cut a flight recording to it")
                .containsPattern("HTTPS saturation: \\d+ clients, from \\d\\d:\\d\\d:\\d\\d UTC")
                .containsPattern("settling at 50 % of saturation for [\\d.]+ s, not timed, from \\d\\d:\\d\\d:\\d\\d UTC")
                .containsPattern("latency at 50 % of saturation: [\\d.]+ referrals/s, from \\d\\d:\\d\\d:\\d\\d UTC")
                .as("the prefilled bus: restarted on the copies, warmed up like the empty one, its CPU per referral")
                .containsPattern("referrals added by --prefill\\s+\\d{2,}")
                .containsPattern("sent / delivered, prefilled\\s+16 / 16")
                .containsPattern("bus CPU per referral, prefilled\\s+\\d+\\.\\d ms")
                .containsPattern("CPU per referral, empty / prefilled\\s+\\d+\\.\\d\\d")
                .as("the catch-up over the copied trail comes after the run, not in a measured phase")
                .contains("its first checkpoint in 24h, after the run")
                .as("the registry's QUEUE providers take their copies, as their gateways would")
                .contains("QUEUE providers taking their copies: shelter-dushanbe, medical-dushanbe, reintegration-national, "
                        + "child-protection-national, coordinator")
                .containsPattern("copies taken off the QUEUE providers' queues: [1-9]\\d*");
        assertThat(gcLog).as("the option reached the bus's JVM").isNotEmptyFile();
        assertThat(Files.readString(gcLog)).as("the bus's heap is fixed, as the production recipe starts it")
                .contains("Heap Initial Capacity: 512M", "Heap Max Capacity: 512M");
        gcLog.toFile().delete();
    }

    @Test
    void anUnknownDatabaseIsOneClearSentence() {
        StringWriter text = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(text), "bench", "--database", "oracle");

        assertThat(exit).isEqualTo(2);
        assertThat(text.toString().trim()).isEqualTo("error: --database oracle is not known: use h2, postgresql or h2,postgresql.");
    }

    @Test
    void theLaunchesAreTheFatJarTheExtractedJarAndTheExtractedJarWithAnArchive() {
        StringWriter text = new StringWriter();
        int exit = ReferralBusCommandLine.run(new PrintWriter(text), "bench", "--launch", "aot");

        assertThat(exit).isEqualTo(2);
        assertThat(text.toString()).contains("--launch", "extracted, cds, jar");
    }
}
