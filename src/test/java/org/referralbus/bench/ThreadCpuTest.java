package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.referralbus.bench.ThreadCpu.Kind;
import org.referralbus.bench.ThreadCpu.Used;

/** The bench's split of the bus's CPU into JIT compilers, garbage collector and the rest, from /proc. */
class ThreadCpuTest {

    @Test
    void hotSpotsThreadNamesTellTheKinds() {
        assertThat(ThreadCpu.kind("C2 CompilerThre")).isEqualTo(Kind.JIT);
        assertThat(ThreadCpu.kind("C1 CompilerThre")).isEqualTo(Kind.JIT);
        assertThat(ThreadCpu.kind("GC Thread#1")).isEqualTo(Kind.GC);
        assertThat(ThreadCpu.kind("G1 Conc#0")).isEqualTo(Kind.GC);
        assertThat(ThreadCpu.kind("https-jsse-nio-")).isEqualTo(Kind.WORK);
        assertThat(ThreadCpu.kind("VM Thread")).isEqualTo(Kind.WORK);
    }

    @Test
    void aStatLineGivesUserPlusSystemTicksEvenWithParenthesesInTheName() {
        String stat = "4242 (Thread-3 (activ) S 1 4200 4200 0 -1 4194368 100 0 0 0 1500 250 0 0 20 0 40 0 123 0 0";

        assertThat(ThreadCpu.used(stat)).isEqualTo(new Used(Kind.WORK, 1750));
        assertThat(ThreadCpu.used(stat.replace("Thread-3 (activ", "C2 CompilerThre")).kind()).isEqualTo(Kind.JIT);
    }

    @Test
    void theSplitCountsWhatEachThreadUsedInBetweenIncludingThreadsStartedMeanwhile() {
        Map<Long, Used> before = Map.of(1L, new Used(Kind.WORK, 1000), 2L, new Used(Kind.JIT, 500), 3L, new Used(Kind.GC, 10));
        Map<Long, Used> after = Map.of(1L, new Used(Kind.WORK, 1600), 2L, new Used(Kind.JIT, 800), 3L, new Used(Kind.GC, 60),
                4L, new Used(Kind.JIT, 50));

        ThreadCpu.Split split = ThreadCpu.Split.between(before, after);

        assertThat(split.jit()).isCloseTo(350.0 / 1000, within(1e-9));
        assertThat(split.gc()).isCloseTo(50.0 / 1000, within(1e-9));
        assertThat(ThreadCpu.Split.between(before, before)).isEqualTo(new ThreadCpu.Split(0, 0));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisJvmsCompilerAndCollectorThreadsAreFound() {
        Map<Long, Used> threads = ThreadCpu.snapshot(ProcessHandle.current().pid());

        assertThat(threads.values()).extracting(Used::kind).contains(Kind.JIT, Kind.WORK);
        assertThat(threads.values()).allSatisfy(used -> assertThat(used.ticks()).isNotNegative());
    }
}
