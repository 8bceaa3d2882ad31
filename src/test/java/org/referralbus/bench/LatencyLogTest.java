package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The half-load latencies beside the flight recording: each request's due time and latency, read back as written. */
class LatencyLogTest {

    @Test
    void eachRequestIsALineWithItsDueTimeInUtcAndItsLatencyThatSlowRequestsReadsBack(@TempDir Path folder) throws Exception {
        Instant due = Instant.parse("2026-12-08T03:13:00.123456Z");
        HttpsLoad.Result result = new HttpsLoad.Result(2, 2, 1.0, new long[] {17_250_000L, 542_000_000L},
                new Instant[] {due, due.plusNanos(20_000_000)}, Map.of(202, 2));

        Path written = LatencyLog.write(folder, result);

        assertThat(written).isEqualTo(folder.resolve("half-load-latencies.csv"));
        assertThat(Files.readAllLines(written)).containsExactly("due_utc,latency_ms",
                "2026-12-08T03:13:00.123456Z,17.250", "2026-12-08T03:13:00.143456Z,542.000");
        assertThat(SlowRequests.read(written)).containsExactly(
                new SlowRequests.Request(Instant.parse("2026-12-08T03:13:00.123456Z"), 17.25),
                new SlowRequests.Request(Instant.parse("2026-12-08T03:13:00.143456Z"), 542.0));
    }

    @Test
    void somethingBusyCountsForARequestOnlyWhileTheRequestWaited() {
        SlowRequests.Request request = new SlowRequests.Request(Instant.parse("2026-12-08T03:13:00Z"), 50);
        SlowRequests.Busy during = new SlowRequests.Busy("gc pause", Instant.parse("2026-12-08T03:13:00.040Z"),
                Instant.parse("2026-12-08T03:13:00.070Z"), "");
        SlowRequests.Busy after = new SlowRequests.Busy("compilation", Instant.parse("2026-12-08T03:13:00.050Z"),
                Instant.parse("2026-12-08T03:13:00.300Z"), "C2 x");

        assertThat(during.overlapMicros(request)).isEqualTo(10_000);
        assertThat(after.overlapMicros(request)).isZero();
        assertThat(SlowRequests.meeting(List.of(request), List.of(during, after), "gc pause")).isEqualTo(1);
        assertThat(SlowRequests.meeting(List.of(request), List.of(during, after), "compilation")).isZero();
    }
}
