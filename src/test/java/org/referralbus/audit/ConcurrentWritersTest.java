package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two "instances" (two independent connection sets to one H2 database served over TCP with AUTO_SERVER, as two
 * bus processes would use it) and several threads each append at once: one gap-free, verifiable sequence.
 */
class ConcurrentWritersTest {

    @TempDir
    Path dataDir;

    @Test
    void writersOnTwoInstancesProduceOneGapFreeChain() throws Exception {
        String url = "jdbc:h2:file:" + dataDir + "/db/shared;AUTO_SERVER=TRUE;LOCK_TIMEOUT=20000";
        try (TrailDatabase first = new TrailDatabase(url); TrailDatabase second = new TrailDatabase(url)) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                TrailDatabase instance = i % 2 == 0 ? first : second;
                writers.add(threads.submit(() -> instance.recordEvents(25)));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            threads.shutdown();

            assertThat(first.jdbc.queryForList("SELECT seq FROM audit_event ORDER BY seq", Long.class))
                    .hasSize(200).first().isEqualTo(1L);
            assertThat(first.jdbc.queryForObject("SELECT MAX(seq) FROM audit_event", Long.class)).isEqualTo(200L);
            assertThat(second.verifier.verify()).isEqualTo(new ChainVerification(true, 200, null, null));
        }
    }
}
