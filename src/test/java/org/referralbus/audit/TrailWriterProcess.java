package org.referralbus.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A second bus "instance" in its own JVM: appends events to the shared database with several threads. */
public final class TrailWriterProcess {

    private TrailWriterProcess() {
    }

    /** Arguments: JDBC URL, actor, threads, events per thread. */
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[2]);
        int perThread = Integer.parseInt(args[3]);
        try (TrailDatabase db = new TrailDatabase(args[0])) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> writers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                writers.add(pool.submit(() -> db.recordEvents(perThread, args[1])));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            pool.shutdown();
        }
    }
}
