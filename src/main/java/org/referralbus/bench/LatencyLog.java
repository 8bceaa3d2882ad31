package org.referralbus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The half-load phase's requests, one line each: when it was due (UTC) and how long its answer
 * took. Written beside the bus's flight recording, so that the slowest requests can be laid over what the bus was
 * doing then (the collector's pauses, the JIT's compilations, H2's writes; performance.md, "Measuring: `bench`").
 */
final class LatencyLog {

    static final String FILE = "half-load-latencies.csv";
    static final String HEADER = "due_utc,latency_ms";

    private LatencyLog() {
    }

    static Path write(Path folder, HttpsLoad.Result result) throws IOException {
        List<String> lines = new ArrayList<>(result.latencies().length + 1);
        lines.add(HEADER);
        for (int i = 0; i < result.latencies().length; i++) {
            lines.add(result.dues()[i] + "," + String.format(Locale.ROOT, "%.3f", result.latencies()[i] / 1e6));
        }
        return Files.write(folder.resolve(FILE), lines);
    }
}
