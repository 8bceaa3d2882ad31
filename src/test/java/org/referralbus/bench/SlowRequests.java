package org.referralbus.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Not a test: lays the half-load phase's slowest requests ({@code half-load-latencies.csv}, written by {@code bench
 * --jfr}) over the bus's flight recording, and says what ran while each waited: the collector's pauses, other work
 * at a safepoint, the JIT's long compilations (the recording keeps those of 100 ms or more) and H2's slow file forces
 * and writes (10 ms or more). Then, for each kind, the share of the slowest requests that met one against the share
 * of all requests: a kind the slow ones meet no more often than the rest does not explain the tail. See
 * docs/performance.md, "Measuring: `bench`".
 */
public final class SlowRequests {

    record Request(Instant due, double millis) {
        Instant end() {
            return due.plusNanos((long) (millis * 1e6));
        }
    }

    /** Something that held a core or the whole JVM for a while. */
    record Busy(String kind, Instant start, Instant end, String what) {
        long overlapMicros(Request request) {
            long from = Math.max(micros(start), micros(request.due()));
            long to = Math.min(micros(end), micros(request.end()));
            return Math.max(0, to - from);
        }
    }

    static final List<String> KINDS = List.of("gc pause", "safepoint", "compilation", "h2 force", "h2 write");

    private SlowRequests() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SlowRequests <bus.jfr> <half-load-latencies.csv> [slowest, default 1 % of them]");
            System.exit(2);
        }
        List<Request> requests = read(Path.of(args[1]));
        List<Busy> busy = busy(Path.of(args[0]));
        int slowest = args.length > 2 ? Integer.parseInt(args[2]) : Math.max(5, requests.size() / 100);
        List<Request> byLatency = requests.stream().sorted(Comparator.comparingDouble(Request::millis).reversed()).toList();
        List<Request> slow = byLatency.subList(0, Math.min(slowest, byLatency.size()));
        System.out.printf(Locale.ROOT, "%d requests, p50 %.0f ms, p99 %.0f ms; the %d slowest:%n", requests.size(),
                byLatency.get(byLatency.size() / 2).millis(), byLatency.get(byLatency.size() / 100).millis(), slow.size());
        for (Request request : slow.stream().sorted(Comparator.comparing(Request::due)).toList()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %s %6.0f ms:", request.due(), request.millis()));
            for (Busy b : busy) {
                long overlap = b.overlapMicros(request);
                if (overlap > 0) {
                    line.append(String.format(Locale.ROOT, " %s %.0f ms%s;", b.kind(), overlap / 1000.0,
                            b.what().isEmpty() ? "" : " (" + b.what() + ")"));
                }
            }
            System.out.println(line);
        }
        System.out.println("share meeting each kind: the slowest / all requests");
        for (String kind : KINDS) {
            System.out.printf(Locale.ROOT, "  %-12s %5.1f %% / %5.1f %%%n", kind, 100.0 * meeting(slow, busy, kind) / slow.size(),
                    100.0 * meeting(requests, busy, kind) / requests.size());
        }
    }

    static int meeting(List<Request> requests, List<Busy> busy, String kind) {
        int n = 0;
        for (Request request : requests) {
            if (busy.stream().anyMatch(b -> b.kind().equals(kind) && b.overlapMicros(request) > 0)) {
                n++;
            }
        }
        return n;
    }

    static List<Request> read(Path csv) throws Exception {
        List<Request> requests = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.isBlank() || line.equals(LatencyLog.HEADER)) {
                continue;
            }
            String[] fields = line.split(",");
            requests.add(new Request(Instant.parse(fields[0]), Double.parseDouble(fields[1])));
        }
        return requests;
    }

    private static List<Busy> busy(Path jfr) throws Exception {
        List<Busy> busy = new ArrayList<>();
        try (RecordingFile recording = new RecordingFile(jfr)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                switch (e.getEventType().getName()) {
                    case "jdk.GCPhasePause" -> busy.add(new Busy("gc pause", e.getStartTime(), e.getEndTime(), e.getString("name")));
                    case "jdk.ExecuteVMOperation" -> {
                        if (e.getBoolean("safepoint") && !e.getString("operation").startsWith("G1")) {
                            busy.add(new Busy("safepoint", e.getStartTime(), e.getEndTime(), e.getString("operation")));
                        }
                    }
                    case "jdk.Compilation" -> {
                        RecordedMethod method = e.getValue("method");
                        busy.add(new Busy("compilation", e.getStartTime(), e.getEndTime(), "C" + (e.getInt("compileLevel") == 4 ? 2 : 1)
                                + " " + method.getType().getName().replaceAll(".*\\.", "") + "." + method.getName()));
                    }
                    case "jdk.FileForce" -> {
                        if (String.valueOf(e.getString("path")).endsWith(".mv.db")) {
                            busy.add(new Busy("h2 force", e.getStartTime(), e.getEndTime(), ""));
                        }
                    }
                    case "jdk.FileWrite" -> {
                        if (String.valueOf(e.getString("path")).endsWith(".mv.db")) {
                            busy.add(new Busy("h2 write", e.getStartTime(), e.getEndTime(), e.getLong("bytesWritten") / 1024 + " KB"));
                        }
                    }
                    default -> { }
                }
            }
        }
        return busy;
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    }
}
