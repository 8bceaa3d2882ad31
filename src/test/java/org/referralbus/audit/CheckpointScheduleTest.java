package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

class CheckpointScheduleTest {

    @TempDir
    Path dataDir;

    @Test
    void headIsSignedAtTheIntervalAndOnceMoreOnStopAndTheConsolesProgressFoldedAtTheInterval() {
        try (TrailDatabase db = new TrailDatabase(dataDir)) {
            ReferralProgressStore progress = new ReferralProgressStore(db.jdbc);
            CheckpointSchedule schedule = new CheckpointSchedule(db.checkpoints, db.treeHeads,
                    new ReferralProgressProjection(db.jdbc, progress, new DataSourceTransactionManager(db.dataSource)),
                    new AuditProperties(Duration.ofMillis(200), Duration.ofHours(24), Duration.ofMinutes(1),
                            new AuditProperties.SignInLimits(3, 10, 10, 30, Duration.ofMinutes(15), 1), "referral-bus"));
            db.recordEvents(3);
            schedule.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoints.latest().map(c -> c.seq() == 3).orElse(false));
            await().atMost(Duration.ofSeconds(10)).until(() -> progress.newest(10).size() == 3);

            db.recordEvents(2);
            schedule.stop();

            assertThat(db.checkpoints.latest()).hasValueSatisfying(c -> assertThat(c.seq()).isEqualTo(5));
            assertThat(db.checkpoints.take()).as("an unchanged head is not signed twice").isEmpty();
            assertThat(db.treeHeads.latest()).hasValueSatisfying(h -> assertThat(h.treeSize()).isEqualTo(5));
            assertThat(db.verifier.verify().intact()).isTrue();
        }
    }
}
