package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Spring and Spring Security log through Commons Logging, often with messages built only when written
 * ({@code LogMessage}). Commons Logging's own SLF4J adapter builds every message, written or not (1.3.6: X.509
 * authentication turned each request's client certificate into text twice, a tenth of all allocation under load), so
 * the bus names the Log4j API adapter (META-INF/services), which asks the level first; Log4j's calls end in SLF4J and
 * Logback all the same.
 */
class CommonsLoggingTest {

    @Test
    void aMessageBelowTheLevelIsNeverBuilt() {
        String name = "org.referralbus.test.commons-logging";
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(Level.INFO);
        AtomicInteger built = new AtomicInteger();
        Object message = new Object() {
            @Override
            public String toString() {
                built.incrementAndGet();
                return "expensive";
            }
        };

        Log log = LogFactory.getLog(name);
        log.debug(message);
        log.trace(message);
        log.info(message);

        assertThat(LogFactory.getFactory().getClass().getName()).isEqualTo("org.apache.commons.logging.impl.Log4jApiLogFactory");
        assertThat(built).as("built for INFO only").hasValue(1);
    }
}
