package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

/**
 * {@code database compact} on a real H2 file: it shrinks a file grown by many commits to its live data and keeps
 * every row; it refuses, in one sentence, a database another process holds open (a running bus), a data folder
 * without a database (where it creates none), and a bus on PostgreSQL.
 */
class DatabaseCompactTest {

    private static final int ROWS = 2_000;

    @TempDir
    Path dataDir;

    @Test
    void shrinksAFileGrownByManyCommitsAndKeepsEveryRow() throws Exception {
        grow();
        long before = Files.size(file());

        CommandRun run = CommandRun.offline("database", "compact", "--referral-bus.data-dir=" + dataDir);

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).containsPattern("compacted .*referral-bus\\.mv\\.db: [0-9.]+ MB -> [0-9.]+ MB in [0-9.]+ s");
        assertThat(Files.size(file())).isLessThan(before / 2);
        assertThat(count()).isEqualTo(ROWS);
    }

    /** Rows at their last version. */
    private int count() throws Exception {
        try (Connection connection = connect(""); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM grown WHERE version = 5")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void refusesADatabaseAnotherProcessHoldsOpen() throws Exception {
        grow();
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.h2.tools.Shell", "-url", url(""), "-user", "sa")
                .redirectErrorStream(true).start();
        StringBuffer said = new StringBuffer();
        Thread reader = new Thread(() -> {
            try {
                holder.getInputStream().transferTo(new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        said.append((char) b);
                    }
                });
            } catch (java.io.IOException e) {
                // the holder ended
            }
        });
        reader.start();
        try {
            // H2's shell prompts once it holds the database open.
            await().atMost(Duration.ofSeconds(30)).until(() -> said.indexOf("sql>") >= 0);

            CommandRun run = CommandRun.offline("database", "compact", "--referral-bus.data-dir=" + dataDir);

            assertThat(run.exit()).isEqualTo(ReferralBusCommandLine.FAILED);
            assertThat(run.output()).isEqualTo("error: The database at " + file()
                    + " is in use, probably by a running bus: stop the bus, then run database compact again." + System.lineSeparator());
        } finally {
            holder.destroy();
            holder.waitFor();
        }
        assertThat(count()).isEqualTo(ROWS);
    }

    @Test
    void aDataFolderWithoutADatabaseGetsOneSentenceAndNoNewFile() {
        CommandRun run = CommandRun.offline("database", "compact", "--referral-bus.data-dir=" + dataDir);

        assertThat(run.exit()).isEqualTo(ReferralBusCommandLine.FAILED);
        assertThat(run.output()).isEqualTo("error: There is no database at " + file()
                + ": give the bus's --referral-bus.data-dir." + System.lineSeparator());
        assertThat(dataDir.resolve("db").toFile().list()).isNullOrEmpty();
    }

    @Test
    void aBusOnPostgresqlIsToldThatThereIsNothingToCompact() {
        CommandRun run = CommandRun.offline("database", "compact", "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/referralbus");

        assertThat(run.exit()).isEqualTo(ReferralBusCommandLine.FAILED);
        assertThat(run.output()).isEqualTo("error: database compact is for the embedded H2 database, and this bus is "
                + "configured for another one; PostgreSQL reclaims space itself (autovacuum)." + System.lineSeparator());
    }

    /** Rows changed in many small commits, each written to the file at once, and closed without compacting. */
    private void grow() throws Exception {
        try (Connection connection = connect(";WRITE_DELAY=0;MAX_COMPACT_TIME=0"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE grown (id INT PRIMARY KEY, version INT NOT NULL, payload VARCHAR(400) NOT NULL)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO grown VALUES (?, 0, ?)")) {
                for (int i = 0; i < ROWS; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "x".repeat(400));
                    insert.executeUpdate();
                }
            }
            for (int version = 1; version <= 5; version++) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE grown SET version = ? WHERE id = ?")) {
                    for (int i = 0; i < ROWS; i++) {
                        update.setInt(1, version);
                        update.setInt(2, i);
                        update.executeUpdate();
                    }
                }
            }
        }
    }

    private Connection connect(String settings) throws Exception {
        return DriverManager.getConnection(url(settings), "sa", "");
    }

    private String url(String settings) {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("referral-bus") + settings;
    }

    private Path file() {
        return dataDir.resolve("db").resolve("referral-bus.mv.db");
    }
}
