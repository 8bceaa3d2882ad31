package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.h2.tools.Server;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.LocalMachine;
import org.referralbus.support.ScratchPostgresDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** What a killed process leaves of the database's commits, and what start-up accepts and refuses. */
class StorageSyncTest {

    @TempDir
    Path dir;

    /** Long enough that H2's background writer never stores during a test: only the bus's own writes do. */
    private static final String HELD_IN_MEMORY = ";WRITE_DELAY=60000";

    @Test
    void h2OpenedByAnotherProcessIsRefused() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", Integer.toString(LocalMachine.freePort()), "-ifNotExists",
                "-baseDir", dir.toString()).start();
        try (SingleConnectionDataSource db = h2("jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/remote")) {
            assertThatThrownBy(() -> new StorageSync(new JdbcTemplate(db)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("opened by another process");
        } finally {
            server.stop();
        }
    }

    /**
     * A copy of the database file taken with the database still open is what a kill -9 at that moment would leave.
     * The flow's commits are not in it until the flow writes them, and are once it has forced them for its receipt.
     */
    @Test
    void theFlowsCommitsReachTheFileTogetherAtTheReceipt() throws Exception {
        try (SingleConnectionDataSource db = h2("jdbc:h2:file:" + dir.resolve("flow") + HELD_IN_MEMORY)) {
            JdbcTemplate jdbc = new JdbcTemplate(new WrittenCommits(db));
            StorageSync sync = new StorageSync(jdbc);
            jdbc.execute("CREATE TABLE receipt (id VARCHAR(36) PRIMARY KEY)");
            sync.deferCommits();
            try {
                jdbc.update("INSERT INTO receipt VALUES ('first')");
                jdbc.update("INSERT INTO receipt VALUES ('second')");
                assertThat(rowsAfterKill("flow", "before-receipt")).isEmpty();
                sync.force();
                assertThat(rowsAfterKill("flow", "after-receipt")).containsExactlyInAnyOrder("first", "second");
            } finally {
                sync.finish();
            }
            assertThat(CommitDeferral.active()).isFalse();
        }
    }

    /**
     * What the flow commits after its receipt's force (its copies' hand-overs) stays deferred: the flow's end writes
     * nothing more, and the next write of anyone takes it along.
     */
    @Test
    void commitsAfterTheReceiptsForceAreLeftToTheNextWrite() throws Exception {
        try (SingleConnectionDataSource db = h2("jdbc:h2:file:" + dir.resolve("after") + HELD_IN_MEMORY)) {
            JdbcTemplate jdbc = new JdbcTemplate(new WrittenCommits(db));
            StorageSync sync = new StorageSync(jdbc);
            jdbc.execute("CREATE TABLE receipt (id VARCHAR(36) PRIMARY KEY)");
            sync.deferCommits();
            try {
                jdbc.update("INSERT INTO receipt VALUES ('receipted')");
                sync.force();
                jdbc.update("INSERT INTO receipt VALUES ('handed-over')");
            } finally {
                sync.finish();
            }
            assertThat(rowsAfterKill("after", "after-the-flow")).containsExactly("receipted");

            jdbc.update("INSERT INTO receipt VALUES ('acknowledged')"); // outside the flow: written before it returns

            assertThat(rowsAfterKill("after", "after-the-next-write")).containsExactlyInAnyOrder("receipted", "handed-over", "acknowledged");
        }
    }

    /** A receipt answered again may rest on another flow's commits, not yet written: the flow's end forces them. */
    @Test
    void aFlowThatForcedNothingForcesAtItsEnd() throws Exception {
        try (SingleConnectionDataSource db = h2("jdbc:h2:file:" + dir.resolve("replay") + HELD_IN_MEMORY)) {
            JdbcTemplate jdbc = new JdbcTemplate(new WrittenCommits(db));
            StorageSync sync = new StorageSync(jdbc);
            jdbc.execute("CREATE TABLE receipt (id VARCHAR(36) PRIMARY KEY)");
            inAnotherFlow(sync, () -> jdbc.update("INSERT INTO receipt VALUES ('first attempt')"));
            assertThat(rowsAfterKill("replay", "before-the-replay")).isEmpty();
            sync.deferCommits();
            sync.finish();
            assertThat(rowsAfterKill("replay", "after-the-replay")).containsExactly("first attempt");
        }
    }

    @Test
    void theFlowsCommitsAreInTheFileBeforeItSendsToTheBroker() throws Exception {
        try (SingleConnectionDataSource db = h2("jdbc:h2:file:" + dir.resolve("send") + HELD_IN_MEMORY)) {
            JdbcTemplate jdbc = new JdbcTemplate(new WrittenCommits(db));
            StorageSync sync = new StorageSync(jdbc);
            jdbc.execute("CREATE TABLE delivery (id VARCHAR(36) PRIMARY KEY)");
            sync.deferCommits();
            try {
                jdbc.update("INSERT INTO delivery VALUES ('copy')");
                sync.write();
                assertThat(rowsAfterKill("send", "at-send", "delivery")).containsExactly("copy");
            } finally {
                sync.endDeferral();
            }
        }
    }

    /**
     * Flows that write before their sends at the same time share one write, led by one of them; each still finds its
     * commits in the file once its write returns.
     */
    @Test
    void flowsWritingAtOnceEachFindTheirCommitsInTheFile() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("shared") + HELD_IN_MEMORY;
        // Pooled: H2 may store when a connection is closed, which would hide a missing write.
        org.h2.jdbcx.JdbcConnectionPool connections = org.h2.jdbcx.JdbcConnectionPool.create(url, "sa", "");
        try (SingleConnectionDataSource keptOpen = h2(url)) {
            JdbcTemplate jdbc = new JdbcTemplate(new WrittenCommits(connections));
            StorageSync sync = new StorageSync(jdbc);
            jdbc.execute("CREATE TABLE delivery (id VARCHAR(36) PRIMARY KEY)");
            List<List<String>> found = onSixThreadsAtOnce((i, together) -> {
                sync.deferCommits();
                try {
                    jdbc.update("INSERT INTO delivery VALUES (?)", "copy-" + i);
                    together.await();
                    sync.write();
                    return rowsAfterKill("shared", "at-send-copy-" + i, "delivery");
                } finally {
                    sync.endDeferral();
                }
            });
            for (int i = 0; i < found.size(); i++) {
                assertThat(found.get(i)).contains("copy-" + i);
            }
        } finally {
            connections.dispose();
        }
    }

    /** Outside the referral flow (acknowledgements, corrections, consumed messages) a commit is written at once. */
    @Test
    void aCommitOutsideTheFlowIsInTheFileWhenItReturns() throws Exception {
        try (SingleConnectionDataSource db = h2("jdbc:h2:file:" + dir.resolve("other") + HELD_IN_MEMORY)) {
            JdbcTemplate jdbc = new JdbcTemplate(new WrittenCommits(db));
            new StorageSync(jdbc);
            jdbc.execute("CREATE TABLE receipt (id VARCHAR(36) PRIMARY KEY)");
            jdbc.update("INSERT INTO receipt VALUES ('auto-committed')");
            assertThat(rowsAfterKill("other", "after-update")).containsExactly("auto-committed");
            new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()))
                    .executeWithoutResult(status -> jdbc.update("INSERT INTO receipt VALUES ('in-a-transaction')"));
            assertThat(rowsAfterKill("other", "after-commit")).containsExactlyInAnyOrder("auto-committed", "in-a-transaction");
        }
    }

    /**
     * Commits outside the flow at the same time share H2's writes (one led by whichever arrives first); each still
     * finds its row in the file when its commit returns.
     */
    @Test
    void commitsOutsideTheFlowAtOnceEachAreInTheFileWhenTheyReturn() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("acks") + HELD_IN_MEMORY;
        org.h2.jdbcx.JdbcConnectionPool connections = org.h2.jdbcx.JdbcConnectionPool.create(url, "sa", "");
        try (SingleConnectionDataSource keptOpen = h2(url)) {
            JdbcTemplate jdbc = new JdbcTemplate(new WrittenCommits(connections));
            new StorageSync(jdbc);
            jdbc.execute("CREATE TABLE acknowledgement (id VARCHAR(36) PRIMARY KEY)");
            List<List<String>> found = onSixThreadsAtOnce((i, together) -> {
                together.await();
                jdbc.update("INSERT INTO acknowledgement VALUES (?)", "ack-" + i);
                return rowsAfterKill("acks", "after-ack-" + i, "acknowledgement");
            });
            for (int i = 0; i < found.size(); i++) {
                assertThat(found.get(i)).contains("ack-" + i);
            }
        } finally {
            connections.dispose();
        }
    }

    /** Camel's JDBC idempotent repository on its own table, as the bus's {@code processedEnvelopes}. */
    private static org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository envelopeKeys(JdbcTemplate jdbc) {
        jdbc.execute("CREATE TABLE CAMEL_MESSAGEPROCESSED (processorName VARCHAR(255), messageId VARCHAR(100), "
                + "createdAt TIMESTAMP, PRIMARY KEY (processorName, messageId))");
        org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository repository =
                new org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository(jdbc.getDataSource(), "envelopes");
        repository.setCreateTableIfNotExists(false);
        return repository;
    }

    /** A task that meets the others at the barrier it is given, for index 0–5 on six threads; the results in order. */
    private interface TaskAtOnce<T> {
        T run(int index, java.util.concurrent.CyclicBarrier together) throws Exception;
    }

    private static <T> List<T> onSixThreadsAtOnce(TaskAtOnce<T> task) throws Exception {
        int threads = 6;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(threads);
            List<java.util.concurrent.Future<T>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.run(index, together)));
            }
            List<T> results = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<T> future : futures) {
                results.add(future.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The idempotent consumer's keys wait for the next write: one added after a receipt is not in the file until
     * another commit's write takes it along, unlike the same key added by the repository itself.
     */
    @Test
    void anIdempotentKeyWaitsForTheNextWrite() throws Exception {
        try (SingleConnectionDataSource db = h2("jdbc:h2:file:" + dir.resolve("keys") + HELD_IN_MEMORY)) {
            JdbcTemplate jdbc = new JdbcTemplate(new WrittenCommits(db));
            new StorageSync(jdbc);
            org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository repository = envelopeKeys(jdbc);
            UnwrittenIdempotentKeys keys = new UnwrittenIdempotentKeys(repository);
            keys.start();
            try {
                assertThat(keys.add("unwritten")).isTrue();
                assertThat(rowsAfterKill("keys", "after-unwritten-key", "CAMEL_MESSAGEPROCESSED")).isEmpty();

                jdbc.execute("CREATE TABLE acknowledgement (id VARCHAR(36) PRIMARY KEY)");
                jdbc.update("INSERT INTO acknowledgement VALUES ('next')"); // another thread's commit, written at once
                assertThat(rowsAfterKill("keys", "after-next-write", "CAMEL_MESSAGEPROCESSED")).hasSize(1);
                assertThat(keys.contains("unwritten")).isTrue();

                repository.add("written");
                assertThat(rowsAfterKill("keys", "after-written-key", "CAMEL_MESSAGEPROCESSED")).hasSize(2);
            } finally {
                keys.stop();
            }
        }
    }

    /** Inside the referral flow the keys' commits stay deferred, and the flow's deferral outlasts them. */
    @Test
    void anIdempotentKeyInsideTheFlowLeavesTheFlowsDeferral() throws Exception {
        try (SingleConnectionDataSource db = h2("jdbc:h2:file:" + dir.resolve("flow-keys") + HELD_IN_MEMORY)) {
            JdbcTemplate jdbc = new JdbcTemplate(new WrittenCommits(db));
            StorageSync sync = new StorageSync(jdbc);
            org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository repository = envelopeKeys(jdbc);
            UnwrittenIdempotentKeys keys = new UnwrittenIdempotentKeys(repository);
            keys.start();
            sync.deferCommits();
            try {
                keys.add("in-the-flow");
                assertThat(CommitDeferral.active()).isTrue();
                sync.force();
            } finally {
                sync.finish();
                keys.stop();
            }
            assertThat(rowsAfterKill("flow-keys", "after-receipt", "CAMEL_MESSAGEPROCESSED")).hasSize(1);
        }
    }

    /** Without the bus's writes the same commit is not in the file: what the tests above rely on. */
    @Test
    void withoutTheBusAWriteDelayedCommitIsNotInTheFile() throws Exception {
        try (SingleConnectionDataSource db = h2("jdbc:h2:file:" + dir.resolve("plain") + HELD_IN_MEMORY)) {
            JdbcTemplate jdbc = new JdbcTemplate(db);
            jdbc.execute("CREATE TABLE receipt (id VARCHAR(36) PRIMARY KEY)");
            jdbc.execute("CHECKPOINT");
            jdbc.update("INSERT INTO receipt VALUES ('lost')");
            assertThat(rowsAfterKill("plain", "after-update")).isEmpty();
        }
    }

    private List<String> rowsAfterKill(String database, String copy) throws Exception {
        return rowsAfterKill(database, copy, "receipt");
    }

    private List<String> rowsAfterKill(String database, String copy, String table) throws Exception {
        Files.copy(dir.resolve(database + ".mv.db"), dir.resolve(copy + ".mv.db"));
        try (SingleConnectionDataSource db = h2("jdbc:h2:file:" + dir.resolve(copy))) {
            JdbcTemplate jdbc = new JdbcTemplate(db);
            boolean exists = !jdbc.queryForList("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = ?",
                    String.class, table.toUpperCase(java.util.Locale.ROOT)).isEmpty();
            return exists ? jdbc.query("SELECT * FROM " + table, (row, i) -> row.getString(1)) : List.of(); // the first column
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

    /**
     * On PostgreSQL the flow's transactions commit without waiting for their WAL flush, and the flow's write before a
     * send flushes the WAL past them; the setting stays with the transaction, not the pooled connection.
     */
    @Test
    void postgresFlowCommitsWaitForOneWalFlushBeforeTheFlowSends() throws Exception {
        Assumptions.assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create();
             SingleConnectionDataSource db = new SingleConnectionDataSource(database.url(), "postgres", "", true)) {
            List<String> atFlush = new java.util.concurrent.CopyOnWriteArrayList<>();
            JdbcTemplate jdbc = new JdbcTemplate(new WrittenCommits(settingAtEachFlush(db, atFlush)));
            StorageSync sync = new StorageSync(jdbc);
            assertThat(sync.postgresCommitsDeferred()).isTrue();
            jdbc.execute("CREATE TABLE delivery (id VARCHAR(36) PRIMARY KEY)");
            TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
            sync.deferCommits();
            try {
                transaction.executeWithoutResult(status -> jdbc.update("INSERT INTO delivery VALUES ('copy')"));
                assertThat(CommitDeferral.unflushed()).as("committed without its flush").isTrue();
                String written = jdbc.queryForObject("SELECT pg_current_wal_insert_lsn()::text", String.class);

                sync.write();

                assertThat(CommitDeferral.unflushed()).isFalse();
                assertThat(atFlush).as("the flush at start-up, then the flow's: each a synchronous commit")
                        .containsExactly("on", "on");
                assertThat(jdbc.queryForObject("SELECT pg_wal_lsn_diff(pg_current_wal_flush_lsn(), ?::pg_lsn)", Long.class, written))
                        .as("the WAL is on the disk up to and past the commit").isGreaterThanOrEqualTo(0);
            } finally {
                sync.endDeferral();
            }
            sync.deferCommits();
            try {
                jdbc.update("INSERT INTO delivery VALUES ('auto-committed')");
                assertThat(CommitDeferral.unflushed()).as("an auto-committed write too").isTrue();
                assertThatThrownBy(() -> jdbc.update("INSERT INTO delivery VALUES ('copy')"))
                        .isInstanceOf(org.springframework.dao.DuplicateKeyException.class);
                sync.force();
                assertThat(CommitDeferral.unflushed()).isFalse();
                assertThat(CommitDeferral.alreadyForced()).isTrue();
                sync.finish();
                assertThat(CommitDeferral.active()).isFalse();
            } finally {
                sync.endDeferral();
            }
            transaction.executeWithoutResult(status -> jdbc.update("INSERT INTO delivery VALUES ('acknowledged')"));
            assertThat(CommitDeferral.unflushed()).isFalse();
            assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).as("nothing left on the connection").isEqualTo("on");
            assertThat(jdbc.queryForList("SELECT id FROM delivery", String.class)).containsExactlyInAnyOrder("copy", "auto-committed", "acknowledged");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM delivery", Integer.class)).isEqualTo(3);
        }
    }

    /** A replayed receipt may rest on another flow's commits: the flow's end flushes them whoever made them. */
    @Test
    void postgresReceiptForceFlushesCommitsOfOtherFlowsToo() throws Exception {
        Assumptions.assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL is not reachable at 127.0.0.1:5432");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create();
             SingleConnectionDataSource db = new SingleConnectionDataSource(database.url(), "postgres", "", true)) {
            JdbcTemplate jdbc = new JdbcTemplate(new WrittenCommits(db));
            StorageSync sync = new StorageSync(jdbc);
            jdbc.execute("CREATE TABLE receipt (id VARCHAR(36) PRIMARY KEY)");
            String written = inAnotherFlow(sync, () -> {
                jdbc.update("INSERT INTO receipt VALUES ('first attempt')");
                return jdbc.queryForObject("SELECT pg_current_wal_insert_lsn()::text", String.class);
            });
            sync.deferCommits();
            assertThat(CommitDeferral.unflushed()).as("this thread committed nothing").isFalse();

            sync.finish();

            assertThat(jdbc.queryForObject("SELECT pg_wal_lsn_diff(pg_current_wal_flush_lsn(), ?::pg_lsn)", Long.class, written))
                    .isGreaterThanOrEqualTo(0);
        }
    }

    /** Runs {@code work} as another referral flow would, on a thread of its own, its commits deferred and left so. */
    private static <T> T inAnotherFlow(StorageSync sync, java.util.concurrent.Callable<T> work) throws Exception {
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            return other.submit(() -> {
                sync.deferCommits();
                return work.call();
            }).get();
        } finally {
            other.shutdown();
        }
    }

    /**
     * The data source, recording in {@code settings} the {@code synchronous_commit} in effect on the connection just
     * before each WAL flush ({@link StorageSync#FLUSH_WAL}) runs on it.
     */
    private static javax.sql.DataSource settingAtEachFlush(javax.sql.DataSource target, List<String> settings) {
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    Object result = forward(target, method, args);
                    if (!(result instanceof java.sql.Connection connection)) {
                        return result;
                    }
                    return java.lang.reflect.Proxy.newProxyInstance(getClassLoader(), new Class<?>[] {java.sql.Connection.class},
                            (c, m, a) -> {
                                Object made = forward(connection, m, a);
                                if (!m.getName().equals("createStatement") || !(made instanceof java.sql.Statement statement)) {
                                    return made;
                                }
                                return java.lang.reflect.Proxy.newProxyInstance(getClassLoader(),
                                        new Class<?>[] {java.sql.Statement.class}, (st, sm, sa) -> {
                                            if (sa != null && sa.length > 0 && StorageSync.FLUSH_WAL.equals(sa[0])) {
                                                try (java.sql.Statement show = connection.createStatement();
                                                     java.sql.ResultSet setting = show.executeQuery("SHOW synchronous_commit")) {
                                                    setting.next();
                                                    settings.add(setting.getString(1));
                                                }
                                            }
                                            return forward(statement, sm, sa);
                                        });
                            });
                });
    }

    private static ClassLoader getClassLoader() {
        return StorageSyncTest.class.getClassLoader();
    }

    private static Object forward(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static SingleConnectionDataSource h2(String url) {
        return new SingleConnectionDataSource(url, "sa", "", true);
    }
}
