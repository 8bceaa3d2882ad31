package org.referralbus.system;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Locale;

/**
 * What statements left in an H2 connection's cache cost its later writes. With the bus's {@code QUERY_CACHE_SIZE=256}
 * each connection keeps the texts it ran, and H2 walks every cached statement's expressions whenever a transaction
 * first writes a table ({@code SessionLocal.registerTableAsUpdated}). Fills one connection's cache with K texts of an
 * {@code IN} list of N parameters each (as a fold of the console's progress used to leave, one text per page length),
 * then times one-row write transactions on it: thread CPU per transaction, for several K. A benchmark, not a test: run
 * it by hand (docs/performance.md, "Stored data").
 *
 * <pre>java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" org.referralbus.system.StatementCacheBenchmark 1100</pre>
 */
public final class StatementCacheBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int TRANSACTIONS = 20_000;

    private StatementCacheBenchmark() {
    }

    public static void main(String[] args) throws SQLException {
        int parameters = args.length > 0 ? Integer.parseInt(args[0]) : 1_100;
        for (int round = 1; round <= 2; round++) { // the first round warms up the JIT compiler
            for (int cached : new int[] {0, 1, 5, 20, 60, 180}) {
                double micros = writeTransaction(cached, parameters);
                if (round == 2) {
                    System.out.printf(Locale.ROOT, "%3d statements of %d+ parameters cached: %7.2f us of CPU per write transaction%n",
                            cached, parameters, micros);
                }
            }
        }
    }

    private static double writeTransaction(int cached, int parameters) throws SQLException {
        String url = "jdbc:h2:mem:cache-" + cached + "-" + System.nanoTime() + ";QUERY_CACHE_SIZE=256";
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE written (id BIGINT PRIMARY KEY, v VARCHAR(64))");
                statement.execute("CREATE TABLE looked_up (id VARCHAR(64) PRIMARY KEY)");
            }
            for (int i = 0; i < cached; i++) { // one text per list length, as IN lists built to a page's length make
                int length = parameters + i;
                try (PreparedStatement lookUp = connection.prepareStatement("SELECT id FROM looked_up WHERE id IN ("
                        + String.join(", ", Collections.nCopies(length, "?")) + ")")) {
                    for (int p = 1; p <= length; p++) {
                        lookUp.setString(p, "id-" + p);
                    }
                    lookUp.executeQuery().close();
                }
            }
            connection.setAutoCommit(false);
            long id = 0;
            long cpu = 0;
            for (int pass = 0; pass < 3; pass++) { // two passes warm this connection's code paths; the third is timed
                long start = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < TRANSACTIONS; i++) {
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO written (id, v) VALUES (?, ?)")) {
                        insert.setLong(1, id++);
                        insert.setString(2, "v");
                        insert.executeUpdate();
                    }
                    connection.commit();
                }
                cpu = THREADS.getCurrentThreadCpuTime() - start;
            }
            return cpu / 1e3 / TRANSACTIONS;
        }
    }
}
