package org.referralbus.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Not a test: reads a flight recording of the bus ({@code bench --jfr}) and says where its database time went. Of
 * the execution samples between two UTC times (the bench prints each phase's start), it counts those inside a JDBC
 * call (under {@code WrittenCommits.forward}, the proxy every statement of the bus passes) by the bus method and line
 * that made the call and the JDBC method, and the share of samples with each frame named on the command line
 * ({@code Class.method}, e.g. {@code Parser.prepareCommand}) anywhere on the stack. Shares are of all the bus's samples
 * in the window. See docs/performance.md, "Where issue 13 stands".
 */
public final class StatementSampleShares {

    private static final String JDBC_PROXY = "org.referralbus.system.WrittenCommits.forward";

    private StatementSampleShares() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: StatementSampleShares <bus.jfr> <from HH:MM:SS UTC> <to HH:MM:SS UTC> [Class.method ...]");
            System.exit(2);
        }
        LocalTime from = LocalTime.parse(args[1]);
        LocalTime to = LocalTime.parse(args[2]);
        List<String> frames = List.of(args).subList(3, args.length);
        Map<String, Integer> byCaller = new HashMap<>();
        Map<String, Integer> byFrame = new HashMap<>();
        int samples = 0;
        int inJdbc = 0;
        try (RecordingFile recording = new RecordingFile(Path.of(args[0]))) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                        || !within(event.getStartTime(), from, to)) {
                    continue;
                }
                samples++;
                List<RecordedFrame> stack = event.getStackTrace().getFrames();
                for (String frame : frames) {
                    if (stack.stream().anyMatch(f -> shortName(f).equals(frame))) {
                        byFrame.merge(frame, 1, Integer::sum);
                    }
                }
                int proxy = indexOf(stack, JDBC_PROXY);
                if (proxy >= 0) {
                    inJdbc++;
                    byCaller.merge(caller(stack, proxy) + "  " + jdbcMethod(stack, proxy), 1, Integer::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d samples from %s to %s UTC; inside a JDBC call: %s%n", samples, from, to, share(inJdbc, samples));
        int total = samples;
        byCaller.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(25)
                .forEach(e -> System.out.printf(Locale.ROOT, "%8s  %s%n", share(e.getValue(), total), e.getKey()));
        for (String frame : frames) {
            System.out.printf(Locale.ROOT, "%8s  with %s on the stack%n", share(byFrame.getOrDefault(frame, 0), total), frame);
        }
    }

    private static boolean within(Instant at, LocalTime from, LocalTime to) {
        LocalTime time = at.atOffset(ZoneOffset.UTC).toLocalTime();
        return !time.isBefore(from) && time.isBefore(to);
    }

    private static int indexOf(List<RecordedFrame> stack, String method) {
        for (int i = 0; i < stack.size(); i++) {
            RecordedFrame frame = stack.get(i);
            if ((frame.getMethod().getType().getName() + "." + frame.getMethod().getName()).equals(method)) {
                return i;
            }
        }
        return -1;
    }

    /** The nearest bus frame outside the JDBC proxy: the statement's author. */
    private static String caller(List<RecordedFrame> stack, int proxy) {
        for (int i = proxy + 1; i < stack.size(); i++) {
            String type = stack.get(i).getMethod().getType().getName();
            if (type.startsWith("org.referralbus.") && !type.startsWith("org.referralbus.system.WrittenCommits")) {
                return type.substring("org.referralbus.".length()) + "." + stack.get(i).getMethod().getName() + ":"
                        + stack.get(i).getLineNumber();
            }
        }
        return "?";
    }

    /** The JDBC method called through the proxy (the first frame past reflection). */
    private static String jdbcMethod(List<RecordedFrame> stack, int proxy) {
        for (int i = proxy - 1; i >= 0; i--) {
            String type = stack.get(i).getMethod().getType().getName();
            if (!type.startsWith("jdk.internal.") && !type.startsWith("java.lang.reflect.")) {
                return shortName(stack.get(i));
            }
        }
        return "?";
    }

    private static String shortName(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    private static String share(int part, int whole) {
        return String.format(Locale.ROOT, "%.1f %%", whole == 0 ? 0.0 : 100.0 * part / whole);
    }
}
