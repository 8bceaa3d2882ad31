package org.referralbus.system;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.JMSContext;
import jakarta.jms.QueueBrowser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.referralbus.broker.BrokerLayout;
import org.referralbus.broker.QueueBrowsing;
import org.referralbus.core.Flow;
import org.referralbus.routing.Provider;
import org.referralbus.routing.ProviderRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Broker queue depths as the gauge {@code referralbus.queue.depth} (tag {@code queue}): the intake, parked
 * rejections, webhook pushes, the dead-letter queue and each QUEUE provider's {@code deliveries.<id>}. Counted by
 * browsing over JMS to the queue's end ({@link QueueBrowsing}; the same with the embedded and a standalone broker,
 * needs only browse rights) on a schedule, not on each scrape, so a slow broker cannot stall the metrics endpoint; a
 * queue that could not be counted reports -1. Browsing never consumes and reads no content.
 */
@Component
class QueueDepths {

    private static final Logger log = LoggerFactory.getLogger(QueueDepths.class);
    /**
     * Beyond this a queue reports this many: enough to alarm on, without browsing a flood to its end (a browse that
     * reads to the end takes a round trip per message, {@link QueueBrowsing}; 10 000 take a few seconds).
     */
    static final int COUNT_LIMIT = 10_000;

    private final QueueBrowsing browsing;
    private final ProviderRegistry providers;
    private final MeterRegistry registry;
    private final Map<String, Double> depths = new ConcurrentHashMap<>();

    QueueDepths(QueueBrowsing browsing, ProviderRegistry providers, MeterRegistry registry) {
        this.browsing = browsing;
        this.providers = providers;
        this.registry = registry;
    }

    @Scheduled(fixedDelayString = "${referral-bus.metrics.queue-depth-interval:15s}", initialDelay = 2_000)
    void refresh() {
        for (String queue : queues()) {
            double depth = count(queue);
            if (depths.put(queue, depth) == null) {
                Gauge.builder("referralbus.queue.depth", depths, d -> d.getOrDefault(queue, -1.0))
                        .description("messages waiting on a broker queue").tag("queue", queue).register(registry);
            }
        }
    }

    List<String> queues() {
        List<String> queues = new ArrayList<>(BrokerLayout.FIXED_QUEUES); // callbacks.* too: they were missing from this list
        for (Provider provider : providers.all()) {
            if (provider.channel() == Provider.DeliveryChannel.QUEUE) {
                queues.add(Flow.Queues.DELIVERIES_PREFIX + provider.id());
            }
        }
        return queues;
    }

    private double count(String queue) {
        try (JMSContext context = browsing.createContext();
             QueueBrowser browser = context.createBrowser(context.createQueue(queue))) {
            Enumeration<?> messages = browser.getEnumeration();
            int count = 0;
            while (messages.hasMoreElements() && count < COUNT_LIMIT) {
                messages.nextElement();
                count++;
            }
            return count;
        } catch (Exception e) {
            log.warn("Cannot count queue {}: {}", queue, e.getClass().getSimpleName());
            return -1;
        }
    }
}
