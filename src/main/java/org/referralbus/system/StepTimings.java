package org.referralbus.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.springframework.stereotype.Component;

/**
 * Per-step latency of the referral flow as Prometheus histograms: {@code referralbus.step.duration} with the tags
 * {@code step} (the step's id in {@code routes/*.camel.yaml}) and {@code outcome} ({@code ok} or {@code failed}).
 * Wraps each {@code bean}, {@code to} and {@code toD} step that has an id; a {@code to} of another route measures that
 * whole route. (camel-micrometer is not available at this Camel version, hence this small intercept strategy,
 * which Camel's Spring Boot support picks up from the context.)
 */
@Component
class StepTimings implements InterceptStrategy {

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    StepTimings(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
        boolean step = definition instanceof BeanDefinition || definition instanceof ToDefinition || definition instanceof ToDynamicDefinition;
        if (!step || !((OptionalIdentifiedDefinition<?>) definition).hasCustomIdAssigned()) {
            return target;
        }
        String id = definition.getId();
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                long started = System.nanoTime();
                return super.process(exchange, doneSync -> {
                    timer(id, exchange.getException() == null ? "ok" : "failed").record(System.nanoTime() - started,
                            java.util.concurrent.TimeUnit.NANOSECONDS);
                    callback.done(doneSync);
                });
            }
        };
    }

    private Timer timer(String step, String outcome) {
        return timers.computeIfAbsent(step + "/" + outcome, key -> Timer.builder("referralbus.step.duration")
                .description("time spent in one step of the referral flow")
                .tag("step", step).tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry));
    }
}
