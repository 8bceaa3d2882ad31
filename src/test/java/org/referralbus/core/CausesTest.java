package org.referralbus.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void theChainIsOutermostFirstAndFindTakesTheOutermostOfItsType() {
        SocketTimeoutException timeout = new SocketTimeoutException("read timed out");
        IOException wrapped = new IOException("read failed", timeout);
        IllegalStateException outer = new IllegalStateException("request failed", new UncheckedIOException(wrapped));

        assertThat(Causes.chain(outer)).hasSize(4).startsWith(outer).endsWith(timeout);
        assertThat(Causes.find(outer, IOException.class)).containsSame(wrapped);
        assertThat(Causes.find(outer, SocketTimeoutException.class)).containsSame(timeout);
        assertThat(Causes.find(outer, ArithmeticException.class)).isEmpty();
        assertThat(Causes.chain(null)).isEmpty();
    }

    @Test
    void aChainThatLoopsEndsAfterEachCauseOnce() {
        LoopingException first = new LoopingException("first");
        LoopingException second = new LoopingException("second");
        first.setCause(second);
        second.setCause(first);

        assertThat(Causes.chain(first)).containsExactly(first, second);
        assertThat(Causes.find(first, ArithmeticException.class)).isEmpty();
    }

    /** Throwable.initCause refuses a loop; some libraries' exceptions override getCause and make one anyway. */
    private static final class LoopingException extends RuntimeException {
        private Throwable cause;

        LoopingException(String message) {
            super(message);
        }

        void setCause(Throwable cause) {
            this.cause = cause;
        }

        @Override
        public synchronized Throwable getCause() {
            return cause;
        }
    }
}
