package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** Statement timeouts through the bus's data source: still enforced, without discarding H2's parsed statements. */
class WrittenCommitsTest {

    @TempDir
    Path dir;

    @Test
    void aStatementTimeoutKeepsTheParsedStatements() throws Exception {
        try (SingleConnectionDataSource db = h2(); Connection connection = new WrittenCommits(db).getConnection()) {
            long before = metaId(connection);
            try (PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
                statement.setQueryTimeout(30);
                statement.executeQuery().close();
            }
            assertThat(metaId(connection)).as("H2 discards every session's parsed statements when this changes").isEqualTo(before);
        }
    }

    @Test
    @Timeout(60)
    void aStatementTimeoutStillStopsALongQuery() throws Exception {
        try (SingleConnectionDataSource db = h2(); Connection connection = new WrittenCommits(db).getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT SUM(X) FROM SYSTEM_RANGE(1, 100000000000)")) {
            statement.setQueryTimeout(1);
            assertThatThrownBy(statement::executeQuery).isInstanceOf(SQLException.class).hasMessageContaining("timed out");
        }
    }

    /** A shared write that fails gives its caller H2's own SQLException, as an unshared one did. */
    @Test
    void aFailedSharedWriteThrowsTheDatabasesOwnException() throws Exception {
        org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort",
                Integer.toString(org.referralbus.support.LocalMachine.freePort()), "-ifNotExists", "-baseDir", dir.toString()).start();
        try (SingleConnectionDataSource remote = new SingleConnectionDataSource(
                "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/remote", "sa", "", true);
             Connection connection = remote.getConnection()) {
            assertThatThrownBy(() -> new WrittenCommits(remote).writeTogether(connection))
                    .isExactlyInstanceOf(SQLException.class).hasMessageContaining("opened by another process");
        } finally {
            server.stop();
        }
    }

    private SingleConnectionDataSource h2() {
        return new SingleConnectionDataSource("jdbc:h2:file:" + dir.resolve("db"), "sa", "", true);
    }

    private static long metaId(Connection connection) throws SQLException {
        return ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getModificationMetaId();
    }
}
