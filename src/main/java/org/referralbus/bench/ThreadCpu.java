package org.referralbus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bus process's CPU by kind of thread, read from {@code /proc/<pid>/task}: the JIT compilers, the garbage
 * collector, and the rest (the bus's own work). A run of minutes still pays for compiling the bus's hot paths (Spring,
 * Camel, Tomcat, H2, Artemis, Bouncy Castle: tens of thousands of methods), and on two cores that CPU is taken from
 * the referrals; this shows how much of "bus CPU per referral" it was.
 */
final class ThreadCpu {

    enum Kind { JIT, GC, WORK }

    /** One thread's kind and the clock ticks (user + system) it has used. */
    record Used(Kind kind, long ticks) {
    }

    private ThreadCpu() {
    }

    /** HotSpot's own threads carry these names at the OS (Linux keeps the first 15 characters). */
    static Kind kind(String threadName) {
        if (threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre")) {
            return Kind.JIT;
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
            return Kind.GC;
        }
        return Kind.WORK;
    }

    /** Every live thread of the process by id; empty where /proc cannot be read (not Linux). */
    static Map<Long, Used> snapshot(long pid) {
        Map<Long, Used> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    threads.put(Long.parseLong(task.getFileName().toString()), used(Files.readString(task.resolve("stat"))));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read: its ticks are not counted
                }
            });
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return threads;
    }

    /** A line of {@code /proc/<pid>/task/<tid>/stat}: "tid (name) state …", utime and stime the 14th and 15th fields. */
    static Used used(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')'); // a name may hold parentheses and spaces
        String[] after = stat.substring(close + 2).trim().split(" ");
        return new Used(kind(stat.substring(open + 1, close)), Long.parseLong(after[11]) + Long.parseLong(after[12]));
    }

    /** The JIT compilers' and the collector's shares of what the process used between two snapshots (0 when unknown). */
    record Split(double jit, double gc) {

        static Split between(Map<Long, Used> before, Map<Long, Used> after) {
            Map<Kind, Long> ticks = new HashMap<>();
            after.forEach((thread, now) -> {
                Used then = before.get(thread);
                ticks.merge(now.kind(), now.ticks() - (then == null ? 0 : then.ticks()), Long::sum);
            });
            long total = ticks.values().stream().mapToLong(Long::longValue).sum();
            if (total <= 0) {
                return new Split(0, 0);
            }
            return new Split((double) ticks.getOrDefault(Kind.JIT, 0L) / total, (double) ticks.getOrDefault(Kind.GC, 0L) / total);
        }
    }
}
