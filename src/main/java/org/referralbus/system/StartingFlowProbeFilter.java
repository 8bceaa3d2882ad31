package org.referralbus.system;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Drops the one WARN line Camel's probe indicators log at every look at {@code /actuator/health} while the flow is
 * still starting, two per request (its liveness and its readiness indicator): {@code Probe in group 'camel', with id
 * 'context' failed with message 'Camel Context 'referral-bus' is starting. … Please wait...'}. The answer is DOWN
 * meanwhile, as it should be; the lines only alarmed operators whose service manager probes from the first second
 * (operators.md, "Warnings at start"). In the same way, until the bus is ready, the lines of routes and consumers
 * that Camel has added but not yet started ({@code Route <id> has status Stopped}, or for a consumer not yet connected
 * no message at all): a probe that lands in that moment of the context's start logs one per route and consumer. Every
 * other failed Camel probe is still logged, and a stopped route or consumer once the bus is ready: the context
 * stopping, a route down. The health endpoint shows no details, so the log is where an operator learns which Camel
 * check took {@code /actuator/health} down; a level on those two loggers would have hidden that too.
 *
 * <p>Implementation note: a Logback turbo filter sees every logging call of the JVM, so it decides on the level first
 * (one comparison), then on the logger's name, then on the line's arguments (Camel's {@code CamelProbesHelper} passes
 * group, check id and message). Installed on the JVM's Logback context when the bean is created, before the web
 * server takes requests, in place of one an earlier bus context of the same JVM left (its readiness is not this
 * context's), and removed when the context closes.
 */
@Component
class StartingFlowProbeFilter extends TurboFilter implements InitializingBean, DisposableBean {

    static final Set<String> PROBE_LOGGERS = Set.of(
            "org.apache.camel.spring.boot.actuate.health.liveness.CamelLivenessStateHealthIndicator",
            "org.apache.camel.spring.boot.actuate.health.readiness.CamelReadinessStateHealthIndicator");
    private static final String NAME = "referral-bus-starting-flow-probes";

    /** Set once the application is ready: from then on a stopped route or consumer is news. */
    private volatile boolean busReady;

    @Override
    public void afterPropertiesSet() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
            logging.getTurboFilterList().removeIf(filter -> NAME.equals(filter.getName()));
            setName(NAME);
            setContext(logging);
            start();
            logging.addTurboFilter(this);
        }
    }

    @Override
    public void destroy() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
            logging.getTurboFilterList().remove(this);
        }
        stop();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || !PROBE_LOGGERS.contains(logger.getName()) || params == null || params.length < 3) {
            return FilterReply.NEUTRAL;
        }
        if (!"camel".equals(params[0])) {
            return FilterReply.NEUTRAL;
        }
        String check = String.valueOf(params[1]);
        String message = String.valueOf(params[2]);
        boolean contextStarting = check.equals("context") && message.contains("' is starting.");
        // A consumer whose route has started but whose listener has not yet connected fails without a message.
        boolean notYetStarted = !busReady && (check.startsWith("route:") || check.startsWith("consumer:"))
                && (message.endsWith(" has status Stopped") || message.isEmpty());
        return contextStarting || notYetStarted ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    @EventListener(ApplicationReadyEvent.class)
    void busReady() {
        busReady = true;
    }
}
