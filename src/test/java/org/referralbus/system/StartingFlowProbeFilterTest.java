package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.referralbus.support.LogCapture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Of Camel's failed probes, only "the context is starting", and until the bus is ready the routes and consumers not yet
 * started, are kept out of the log: a route or consumer down once the bus is ready, or the context stopping, is still
 * said (the health endpoint shows no details). The whole start is in {@link StartupProbesEndToEndTest}.
 */
class StartingFlowProbeFilterTest {

    /** As Camel's CamelProbesHelper writes it. */
    private static final String PROBE_LINE = "Probe in group '{}', with id '{}' failed with message '{}'";

    private final StartingFlowProbeFilter filter = new StartingFlowProbeFilter();
    /**
     * A filter a bus context booted earlier in this JVM installed (ready by now): installing this test's replaces it, as
     * a later bus's does; it is put back afterwards for that context.
     */
    private final List<TurboFilter> installedBefore = new ArrayList<>();

    @BeforeEach
    void noteEarlierBusesFilter() {
        filters().stream().filter(other -> other instanceof StartingFlowProbeFilter).forEach(installedBefore::add);
    }

    @AfterEach
    void restoreEarlierBusesFilter() {
        filters().remove(filter);
        filters().removeAll(installedBefore);
        filters().addAll(installedBefore);
    }

    private static List<TurboFilter> filters() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList();
    }

    @Test
    void routesNotYetStartedAreLeftUnsaidUntilTheBusIsReady() {
        filter.afterPropertiesSet();
        try (LogCapture log = LogCapture.start()) {
            for (String name : StartingFlowProbeFilter.PROBE_LOGGERS) {
                Logger probe = LoggerFactory.getLogger(name);
                probe.warn(PROBE_LINE, "camel", "route:dispatch-delivery", "Route dispatch-delivery has status Stopped");
                probe.warn(PROBE_LINE, "camel", "consumer:referral-intake-queue", "Route referral-intake-queue has status Stopped");
                // A consumer not yet connected (seen in StartupProbesEndToEndTest): its probe fails with no message.
                probe.warn(PROBE_LINE, "camel", "consumer:push-status-callback", "");
            }
            assertThat(log.lines("Probe in group")).isEmpty();

            filter.busReady();
            Logger probe = LoggerFactory.getLogger(StartingFlowProbeFilter.PROBE_LOGGERS.iterator().next());
            probe.warn(PROBE_LINE, "camel", "route:dispatch-delivery", "Route dispatch-delivery has status Stopped");
            probe.warn(PROBE_LINE, "camel", "consumer:push-status-callback", "");
            assertThat(log.lines("Probe in group")).hasSize(2);
        }
    }

    /**
     * A bus context started later in the same JVM (tests, a restart in place) brings its own readiness: its filter
     * replaces the earlier one, and each context's close removes only its own.
     */
    @Test
    void aLaterBusReplacesTheFilterOfAnEarlierOneAndEachRemovesOnlyItsOwn() {
        List<TurboFilter> filters = filters();
        StartingFlowProbeFilter earlier = new StartingFlowProbeFilter();
        earlier.afterPropertiesSet();
        earlier.busReady();

        filter.afterPropertiesSet();

        assertThat(filters).contains(filter).doesNotContain(earlier);
        try (LogCapture log = LogCapture.start()) {
            LoggerFactory.getLogger(StartingFlowProbeFilter.PROBE_LOGGERS.iterator().next())
                    .warn(PROBE_LINE, "camel", "route:dispatch-delivery", "Route dispatch-delivery has status Stopped");
            assertThat(log.lines("Probe in group")).as("the later bus is not ready yet").isEmpty();
        }
        earlier.destroy();
        assertThat(filters).contains(filter);
        filter.destroy();
        assertThat(filters).noneMatch(other -> other instanceof StartingFlowProbeFilter);
    }

    @Test
    void onceReadyOnlyTheStartingContextIsLeftUnsaid() {
        filter.afterPropertiesSet();
        filter.busReady();
        try (LogCapture log = LogCapture.start()) {
            for (String name : StartingFlowProbeFilter.PROBE_LOGGERS) {
                Logger probe = LoggerFactory.getLogger(name);
                probe.warn(PROBE_LINE, "camel", "context",
                        "Camel Context 'referral-bus' is starting. Status: 'Starting', Phase: '4'. Please wait...");
                probe.warn(PROBE_LINE, "camel", "route:dispatch-delivery", "Route dispatch-delivery has status Stopped");
                probe.warn(PROBE_LINE, "camel", "context", "Camel Context 'referral-bus' is stopping. Status: 'Stopping'");
            }
            LoggerFactory.getLogger(getClass()).warn(PROBE_LINE, "camel", "context", "Camel Context 'x' is starting. (another logger)");

            assertThat(log.lines("Probe in group")).hasSize(5).noneMatch(line -> line.contains("'referral-bus' is starting."));
        }
    }
}
