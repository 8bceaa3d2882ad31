package org.referralbus.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Every log event of the JVM while open, for tests that count log lines. The bus's own loggers are held at INFO at
 * least while open: a command run in this JVM (its Spring context sets {@code logging.level.root=WARN}) re-configures
 * the one Logback context every cached test context logs to.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger root;
    private final Logger bus;
    private final Level rootLevel;
    private final Level busLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        bus = context.getLogger("org.referralbus");
        rootLevel = root.getLevel();
        busLevel = bus.getLevel();
        if (!bus.isEnabledFor(Level.INFO)) {
            bus.setLevel(Level.INFO);
        }
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** A copy of the events seen so far. */
    public List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /** Formatted messages of the events seen so far whose message contains {@code text}. */
    public List<String> lines(String text) {
        return events().stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(text)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        root.setLevel(rootLevel);
        bus.setLevel(busLevel);
    }
}
