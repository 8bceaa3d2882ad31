package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointScheduleTest {

    @TempDir
    Path dataDir;

    @Test
    void headIsSignedAtTheIntervalAndOnceMoreOnStop() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            CheckpointSchedule schedule = new CheckpointSchedule(db.checkpoints, db.treeHeads,
                    new AuditProperties(Duration.ofMillis(200), Duration.ofHours(24), Duration.ofMinutes(1),
                            new AuditProperties.SignInLimits(3, 10, 10, 30, Duration.ofMinutes(15), 1), "referral-bus"));
            db.recordEvents(3);
            schedule.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoints.latest().map(c -> c.seq() == 3).orElse(false));

            db.recordEvents(2);
            schedule.stop();

            assertThat(db.checkpoints.latest()).hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(5));
            assertThat(db.checkpoints.take()).as("an unchanged head is not signed twice").isEmpty();
            assertThat(db.treeHeads.latest()).hasValueSatisfying(h -> assertThat(h.treeSize()).isEqualTo(5));
            assertThat(db.verifier.verify().intact()).isTrue();
        }
    }
}
