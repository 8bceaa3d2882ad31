package org.referralbus.system;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's data source, such that on H2 a commit is in the database file when it returns, as
 * {@code WRITE_DELAY=0} used to make every commit: after {@code commit()}, and after a writing statement in
 * auto-commit mode, the committed changes are written ({@link H2Files#write}), unless the thread runs the referral
 * flow ({@link CommitDeferral}), which writes them itself before anything of it leaves the bus. So an acknowledgement,
 * a correction or a consumed broker message is never answered or acknowledged before its rows are in the file, while
 * the flow's many commits share a few writes. Concurrent writes share one ({@link #writeTogether}): each chunk H2
 * writes carries a part that does not shrink with its content (the pages above every changed leaf, the layout's
 * entries for every chunk whose pages it replaces), so fewer chunks write less (performance.md, "What limits it
 * next", "What H2 writes"). A statement's timeout is set on the H2 session directly
 * ({@link H2Files#queryTimeout}), keeping the parsed statements. On PostgreSQL every commit waits for its WAL flush,
 * except the referral flow's transactions ({@link #deferPostgresCommits}); other connections are handed out unwrapped.
 */
final class WrittenCommits extends DelegatingDataSource {

    private static final Set<String> WRITING = Set.of("executeUpdate", "executeLargeUpdate", "executeBatch",
            "executeLargeBatch", "execute");

    private volatile Boolean h2;
    private volatile boolean postgresCommitsDeferred;
    private final GroupSync h2Writes = new GroupSync();

    WrittenCommits(DataSource target) {
        super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(super.getConnection(username, password));
    }

    private Connection wrap(Connection connection) throws SQLException {
        if (h2 == null) {
            h2 = H2Files.embedded(connection);
        }
        if (!h2) {
            return postgresCommitsDeferred && CommitDeferral.active() ? (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, new UnflushedCommits(connection, connection))
                    : connection;
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Handler(this, connection, connection));
    }

    /**
     * H2: every commit made before the call is in the database file ({@link H2Files#write}). Callers that arrive while
     * a write runs share the next one, led by one of them on its own connection, instead of each storing a chunk.
     */
    void writeTogether(Connection connection) throws SQLException {
        try {
            h2Writes.await(() -> {
                try {
                    H2Files.write(connection);
                } catch (SQLException e) {
                    throw new WriteFailed(e);
                }
            });
        } catch (WriteFailed e) {
            throw e.getCause();
        }
    }

    /** Carries a write's SQLException through {@link GroupSync}. */
    private static final class WriteFailed extends RuntimeException {
        WriteFailed(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    /**
     * On PostgreSQL, lets the referral flow's transactions commit without waiting for the WAL flush
     * ({@link StorageSync} flushes before the flow's first send and before its receipt). Called once StorageSync knows
     * it can flush.
     */
    void deferPostgresCommits() {
        postgresCommitsDeferred = true;
    }

    /** {@code equals} and {@code hashCode} of a proxy are its own identity's, not its target's. */
    private static boolean isIdentity(Method method, Object[] args) {
        return method.getName().equals("equals") && args != null && args.length == 1
                || method.getName().equals("hashCode") && args == null;
    }

    private static Object identity(Object proxy, Method method, Object[] args) {
        return method.getName().equals("equals") ? (Object) (proxy == args[0]) : (Object) System.identityHashCode(proxy);
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A proxy of the statement's own kind (plain, prepared or callable), so callers can cast it as before. */
    private static Statement statementProxy(Statement statement, InvocationHandler handler) {
        Class<?> type = statement instanceof CallableStatement ? CallableStatement.class
                : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
        return (Statement) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /**
     * A PostgreSQL connection of the referral flow, and its statements: each of the flow's commits goes without its
     * WAL flush ({@code synchronous_commit} off with {@code SET LOCAL}, for that transaction only, so nothing outlives
     * it on the pooled connection), and the thread is marked as having commits to flush. A writing statement in
     * auto-commit mode runs as a transaction of its own for that. Outside the flow every call is forwarded as it is.
     */
    private record UnflushedCommits(Connection connection, Object target) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (isIdentity(method, args)) {
                return identity(proxy, method, args);
            }
            String name = method.getName();
            if (!CommitDeferral.active()) {
                return forward(target, method, args);
            }
            if (target == connection && name.equals("commit") && args == null && !connection.getAutoCommit()) {
                skipTheFlush();
                Object result = forward(target, method, args);
                CommitDeferral.committedUnflushed();
                return result;
            }
            if (target != connection && WRITING.contains(name) && connection.getAutoCommit()) {
                return inATransactionOfItsOwn(method, args);
            }
            Object result = forward(target, method, args);
            return target == connection && result instanceof Statement statement
                    ? statementProxy(statement, new UnflushedCommits(connection, statement)) : result;
        }

        private Object inATransactionOfItsOwn(Method method, Object[] args) throws Throwable {
            connection.setAutoCommit(false);
            try {
                skipTheFlush();
                Object result = forward(target, method, args);
                connection.commit();
                CommitDeferral.committedUnflushed();
                return result;
            } catch (Throwable e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }

        private void skipTheFlush() throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL synchronous_commit TO off");
            }
        }

    }

    /** Forwards every call; writes the committed changes after a commit and after an auto-committed write. */
    private record Handler(WrittenCommits dataSource, Connection connection, Object target)
            implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (isIdentity(method, args)) {
                return identity(proxy, method, args);
            }
            if (target != connection && method.getName().equals("setQueryTimeout")) {
                H2Files.queryTimeout(connection, (Integer) args[0]);
                return null;
            }
            Object result = forward(target, method, args);
            String name = method.getName();
            if (target == connection) {
                if (name.equals("commit")) {
                    writeUnlessDeferred();
                } else if (result instanceof Statement statement) {
                    return statementProxy(statement, new Handler(dataSource, connection, statement));
                }
            } else if (WRITING.contains(name) && connection.getAutoCommit()) {
                writeUnlessDeferred();
            }
            return result;
        }

        private void writeUnlessDeferred() throws SQLException {
            if (!CommitDeferral.active()) {
                dataSource.writeTogether(connection);
            }
        }
    }
}
