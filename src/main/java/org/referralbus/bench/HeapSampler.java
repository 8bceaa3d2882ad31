package org.referralbus.bench;

import java.time.Duration;
import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bus's heap in use, read from its own metrics as the bus admin ({@code jvm.memory.used}, area heap: every heap
 * pool's used bytes, summed); the peak of all samples is kept. Not {@code jcmd}: starting a JVM each second took a
 * fifth of a core on this 2-core machine, in bursts that lengthened the requests they met (performance.md, session 32).
 */
final class HeapSampler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BusAdminClient admin;
    private volatile long peakBytes;

    HeapSampler(BusAdminClient admin) {
        this.admin = admin;
    }

    /** Samples the heap in use now; a bus that does not answer in time leaves the peak as it was. */
    void sample() {
        admin.get("/actuator/metrics/jvm.memory.used?tag=area:heap", Duration.ofSeconds(5))
                .ifPresent(body -> usedBytes(body).ifPresent(bytes -> peakBytes = Math.max(peakBytes, bytes)));
    }

    long peakMb() {
        return peakBytes / (1024 * 1024);
    }

    /** The value in a {@code /actuator/metrics/jvm.memory.used} answer, if it has one. */
    static OptionalLong usedBytes(String body) {
        try {
            for (JsonNode measurement : JSON.readTree(body).path("measurements")) {
                if ("VALUE".equals(measurement.path("statistic").asString("")) && measurement.path("value").isNumber()) {
                    return OptionalLong.of(measurement.path("value").asLong());
                }
            }
        } catch (JacksonException e) {
            // not the metrics endpoint's JSON: no sample
        }
        return OptionalLong.empty();
    }
}
