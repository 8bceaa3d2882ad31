package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapSamplerTest {

    @Test
    void readsTheHeapInUseFromTheMetricsEndpointsAnswer() {
        String body = """
                {"name":"jvm.memory.used","description":"The amount of used memory","baseUnit":"bytes",
                 "measurements":[{"statistic":"VALUE","value":3.01989888E8}],
                 "availableTags":[{"tag":"id","values":["G1 Survivor Space","G1 Old Gen","G1 Eden Space"]}]}""";

        assertThat(HeapSampler.usedBytes(body)).hasValue(301_989_888L);
    }

    @Test
    void anAnswerWithoutAValueLeavesThePeakAlone() {
        assertThat(HeapSampler.usedBytes("{\"name\":\"jvm.memory.used\",\"measurements\":[]}")).isEmpty();
    }
}
