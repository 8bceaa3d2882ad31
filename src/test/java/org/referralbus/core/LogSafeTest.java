package org.referralbus.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void newlinesAndOtherControlCharactersCannotStartAForgedLogLine() {
        assertThat(LogSafe.value("d-1\nINFO  Delivery 42 acknowledged\r\u2028\u0000")).isEqualTo("d-1?INFO  Delivery 42 acknowledged???");
    }

    @Test
    void longValuesAreCutAndNullIsSaidSo() {
        assertThat(LogSafe.value("x".repeat(500))).hasSize(121).endsWith("…");
        assertThat(LogSafe.value(null)).isEqualTo("null");
    }
}
