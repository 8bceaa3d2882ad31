package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.ScratchPostgresDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The database must write (and force) every commit before a receipt: what start-up accepts and refuses. */
class StorageSyncTest {

    @TempDir
    Path dir;

    @Test
    void h2WithItsDefaultWriteDelayIsRefused() {
        try (SingleConnectionDataSource db = h2("jdbc:h2:file:" + dir.resolve("delayed"))) {
            assertThatThrownBy(() -> new StorageSync(new JdbcTemplate(db)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("WRITE_DELAY=500").hasMessageContaining(";WRITE_DELAY=0");
        }
    }

    /**
     * A copy of the database file taken right after the commit, with the database still open, is what a kill -9 at
     * that moment would leave: with WRITE_DELAY=0 the committed row is in it.
     */
    @Test
    void withWriteDelayZeroACommitIsInTheFileBeforeItReturns() throws Exception {
        try (SingleConnectionDataSource db = h2("jdbc:h2:file:" + dir.resolve("durable") + ";WRITE_DELAY=0")) {
            JdbcTemplate jdbc = new JdbcTemplate(db);
            StorageSync sync = new StorageSync(jdbc);
            jdbc.execute("CREATE TABLE receipt (id VARCHAR(36) PRIMARY KEY)");
            jdbc.update("INSERT INTO receipt VALUES ('promised')");
            sync.force();
            Files.copy(dir.resolve("durable.mv.db"), dir.resolve("after-kill.mv.db"));
        }
        try (SingleConnectionDataSource copy = h2("jdbc:h2:file:" + dir.resolve("after-kill"))) {
            assertThat(new JdbcTemplate(copy).queryForList("SELECT id FROM receipt", String.class)).containsExactly("promised");
        }
    }

    @Test
    void postgresWithSynchronousCommitOffIsRefused() throws Exception {
        Assumptions.assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create()) {
            database.alterDatabase("SET synchronous_commit = off");
            try (SingleConnectionDataSource db = new SingleConnectionDataSource(database.url(), "postgres", "", true)) {
                assertThatThrownBy(() -> new StorageSync(new JdbcTemplate(db)))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("synchronous_commit=off");
            }
        }
    }

    @Test
    void postgresWithItsDefaultsIsAccepted() throws Exception {
        Assumptions.assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create();
             SingleConnectionDataSource db = new SingleConnectionDataSource(database.url(), "postgres", "", true)) {
            new StorageSync(new JdbcTemplate(db)).force();
        }
    }

    private static SingleConnectionDataSource h2(String url) {
        return new SingleConnectionDataSource(url, "sa", "", true);
    }
}
