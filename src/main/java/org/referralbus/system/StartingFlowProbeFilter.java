package org.referralbus.system;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Drops the one WARN line Camel's probe indicators log at every look at {@code /actuator/health} while the flow is
 * still starting, two per request (its liveness and its readiness indicator): {@code Probe in group 'camel', with id
 * 'context' failed with message 'Camel Context 'referral-bus' is starting. … Please wait...'}. The answer is DOWN
 * meanwhile, as it should be; the lines only alarmed operators whose service manager probes from the first second
 * (operators.md, "Warnings at start"). Every other failed Camel probe is still logged, after the start as before it: a
 * route or a consumer down, the context stopping. The health endpoint shows no details, so the log is where an
 * operator learns which Camel check took {@code /actuator/health} down; a level on those two loggers would have hidden
 * that too.
 *
 * <p>Implementation note: a Logback turbo filter sees every logging call of the JVM, so it decides on the level first
 * (one comparison), then on the logger's name, then on the line's arguments (Camel's {@code CamelProbesHelper} passes
 * group, check id and message). Installed once on the JVM's Logback context when the bean is created, before the web
 * server takes requests.
 */
@Component
class StartingFlowProbeFilter extends TurboFilter implements InitializingBean {

    static final Set<String> PROBE_LOGGERS = Set.of(
            "org.apache.camel.spring.boot.actuate.health.liveness.CamelLivenessStateHealthIndicator",
            "org.apache.camel.spring.boot.actuate.health.readiness.CamelReadinessStateHealthIndicator");
    private static final String NAME = "referral-bus-starting-flow-probes";

    @Override
    public void afterPropertiesSet() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging
                && logging.getTurboFilterList().stream().noneMatch(filter -> NAME.equals(filter.getName()))) {
            setName(NAME);
            setContext(logging);
            start();
            logging.addTurboFilter(this);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || !PROBE_LOGGERS.contains(logger.getName()) || params == null || params.length < 3) {
            return FilterReply.NEUTRAL;
        }
        boolean contextStarting = "camel".equals(params[0]) && "context".equals(params[1])
                && String.valueOf(params[2]).contains("' is starting.");
        return contextStarting ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
