package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code referral-bus.broker.journal-buffer-timeout}: bound as a duration, handed to Artemis in nanoseconds, bounded. */
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

    private static BrokerProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("referral-bus.broker", BrokerProperties.class);
    }
}
