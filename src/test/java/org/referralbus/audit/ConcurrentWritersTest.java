package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two bus "instances" in two JVMs share one H2 database (AUTO_SERVER: the first opener serves it, the other
 * connects over TCP, as two bus processes would) and append at the same time, four threads each: one gap-free,
 * verifiable sequence with their rows interleaved.
 */
class ConcurrentWritersTest {

    @TempDir
    Path dataDir;

    @Test
    void writersOnTwoInstancesProduceOneGapFreeChain() throws Exception {
        String url = "jdbc:h2:file:" + dataDir + "/db/shared;AUTO_SERVER=TRUE;LOCK_TIMEOUT=30000";
        try (TrailDatabase here = new TrailDatabase(url)) {
            Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), TrailWriterProcess.class.getName(), url, "instance-b", "4", "60")
                    .redirectErrorStream(true).redirectOutput(dataDir.resolve("instance-b.log").toFile()).start();
            await().atMost(Duration.ofSeconds(60)).until(() -> count(here, "instance-b") >= 5);

            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                writers.add(threads.submit(() -> here.recordEvents(40, "instance-a")));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            threads.shutdown();
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(other.exitValue()).isZero();

            assertThat(here.jdbc.queryForObject("SELECT COUNT(*) FROM audit_event", Long.class)).isEqualTo(400L);
            assertThat(here.jdbc.queryForObject("SELECT MAX(seq) FROM audit_event", Long.class)).isEqualTo(400L);
            Long lastOfA = here.jdbc.queryForObject("SELECT MAX(seq) FROM audit_event WHERE actor = 'instance-a'", Long.class);
            Long firstOfA = here.jdbc.queryForObject("SELECT MIN(seq) FROM audit_event WHERE actor = 'instance-a'", Long.class);
            assertThat(here.jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE actor = 'instance-b' AND seq BETWEEN ? AND ?",
                    Long.class, firstOfA, lastOfA)).as("the two instances wrote at the same time").isPositive();
            assertThat(here.verifier.verify()).isEqualTo(new ChainVerification(true, 400, null, null));
        }
    }

    private static long count(TrailDatabase db, String actor) {
        return db.jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE actor = ?", Long.class, actor);
    }
}
