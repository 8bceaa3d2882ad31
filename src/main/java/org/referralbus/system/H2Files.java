package org.referralbus.system;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Writes and forces the embedded H2 database's committed changes, through one of its connections.
 *
 * <p>Implementation note (read in H2 2.4.240's source). With {@code WRITE_DELAY} above 0, a commit stays in the
 * MVStore's memory; a background thread stores it later, serialising and writing the chunk on two executors of its
 * own. {@code MVStore.commit()} stores what is not yet stored and waits for its own chunk; but when the background
 * thread has just taken everything, it finds nothing to store and returns while that chunk may still be on its way
 * to the file. {@code executeFilestoreOperation} first drains both executors (so every chunk begun is in the file),
 * then runs its operation under the store's locks: a {@code FileChannel.force} there covers every commit made before
 * the call. {@code CHECKPOINT SYNC} does the commit and the force but not the draining, hence this class.
 */
final class H2Files {

    private H2Files() {
    }

    /** Every commit made before the call is in the database file: what survives a killed process. */
    static void write(Connection connection) throws SQLException {
        MVStore store = storeOf(connection);
        store.commit();
        if (store.getFileStore() != null) {
            store.executeFilestoreOperation(() -> { });
        }
    }

    /** Every commit made before the call is in the file and the file on the disk: what survives a power cut. */
    static void writeAndForce(Connection connection) throws SQLException {
        MVStore store = storeOf(connection);
        store.commit();
        if (store.getFileStore() != null) {
            store.executeFilestoreOperation(store::sync);
        }
    }

    /**
     * Sets the session's statement timeout as {@code Statement.setQueryTimeout} does, without its
     * {@code SET QUERY_TIMEOUT} command: H2 ends every {@code SET} by discarding the parsed statements of all sessions,
     * and Spring sets the transaction's remaining time before each statement, so nearly every statement was parsed
     * again (10 % of the bus's time under load).
     */
    static void queryTimeout(Connection connection, int seconds) throws SQLException {
        if (seconds < 0) {
            throw new SQLException("Invalid query timeout " + seconds);
        }
        Session session = connection.unwrap(JdbcConnection.class).getSession();
        if (session instanceof SessionLocal local) {
            local.setQueryTimeout(seconds * 1000);
        } else {
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(seconds);
            }
        }
    }

    /** True if this connection opened the database in this JVM (not a client of another process's H2 server). */
    static boolean embedded(Connection connection) throws SQLException {
        return connection.isWrapperFor(JdbcConnection.class)
                && connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal;
    }

    private static MVStore storeOf(Connection connection) throws SQLException {
        Session session = connection.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local)) {
            throw new SQLException("The H2 database is opened by another process: the bus cannot write and force its commits");
        }
        return local.getDatabase().getStore().getMvStore();
    }
}
