package org.referralbus.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Lets through, of the embedded broker's server logger, the two lines that say an address started or stopped paging
 * to disk ({@code AMQ222038: Starting paging on address '…'; size=…}, {@code AMQ224108: Stopped paging …}: the address
 * and byte counts, never a message's content). Artemis logs them at INFO, and the bus holds that logger at WARN
 * (application.yaml) because its other INFO lines are a page of start-up chatter, so a queue that began paging
 * (beyond {@code referral-bus.broker.memory-per-queue}) was said nowhere. The rest of the logger keeps its level; one
 * set above WARN (ERROR, OFF) silences these lines too.
 *
 * <p>Implementation note: a Logback turbo filter sees every logging call of the JVM, so it decides on the level first
 * (one comparison) and on the logger name only for INFO. Artemis asks {@code isInfoEnabled()} (no message yet) before it
 * formats a line: that is accepted, and the line itself is decided by its message id.
 */
public final class PagingLogFilter extends TurboFilter {

    /** Where Artemis's {@code ActiveMQServerLogger} writes (its package's name). */
    static final String SERVER_LOGGER = "org.apache.activemq.artemis.core.server";
    private static final List<String> PAGING_LINES = List.of("AMQ222038:", "AMQ224108:");
    private static final String NAME = "referral-bus-broker-paging";

    /** On the JVM's Logback context, once; nothing when logging is not Logback. */
    public static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(filter -> NAME.equals(filter.getName()))) {
            PagingLogFilter filter = new PagingLogFilter();
            filter.setName(NAME);
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.INFO || !SERVER_LOGGER.equals(logger.getName())
                || logger.getEffectiveLevel().levelInt > Level.WARN.levelInt) {
            return FilterReply.NEUTRAL;
        }
        if (format == null) {
            return FilterReply.ACCEPT; // isInfoEnabled(): Artemis asks before it formats the line, decided below
        }
        return PAGING_LINES.stream().anyMatch(format::startsWith) ? FilterReply.ACCEPT : FilterReply.NEUTRAL;
    }
}
