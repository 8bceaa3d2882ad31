package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@code referral-bus.broker.journal-buffer-timeout}: bound as a duration, handed to Artemis in nanoseconds, bounded;
 * {@code referral-bus.broker.memory-per-queue}: a size, 4 MB unless set, bounded.
 */
class BrokerPropertiesTest {

    @Test
    void theJournalGathersWritesForOneMillisecondUnlessToldOtherwise() {
        assertThat(bind(Map.of()).journalBufferTimeoutNanos()).isEqualTo(1_000_000);
        assertThat(bind(Map.of("referral-bus.broker.journal-buffer-timeout", "250us")).journalBufferTimeoutNanos()).isEqualTo(250_000);
        assertThat(bind(Map.of("referral-bus.broker.journal-buffer-timeout", "0")).journalBufferTimeoutNanos()).isZero();
    }

    @Test
    void aTimeoutEveryDurableSendWouldWaitSecondsForIsRefusedWithTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("referral-bus.broker.journal-buffer-timeout", "5s")))
                .isInstanceOf(BindException.class).rootCause()
                .hasMessageContaining("referral-bus.broker.journal-buffer-timeout must be between 0 and 1s");
        assertThatThrownBy(() -> bind(Map.of("referral-bus.broker.journal-buffer-timeout", "-1ms")))
                .isInstanceOf(BindException.class);
    }

    @Test
    void aQueueKeepsFourMegabytesInMemoryUnlessToldOtherwise() {
        assertThat(bind(Map.of()).memoryPerQueue().toBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(bind(Map.of("referral-bus.broker.memory-per-queue", "64KB")).memoryPerQueue().toBytes()).isEqualTo(65_536);
    }

    @Test
    void aBoundThatWouldPageEveryMessageOrTakeTheHeapIsRefusedWithTheProperty() {
        for (String size : new String[] {"16KB", "2GB"}) {
            assertThatThrownBy(() -> bind(Map.of("referral-bus.broker.memory-per-queue", size))).as(size)
                    .isInstanceOf(BindException.class).rootCause()
                    .hasMessageContaining("referral-bus.broker.memory-per-queue must be between 64KB and 1GB");
        }
    }

    private static BrokerProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("referral-bus.broker", BrokerProperties.class);
    }
}
