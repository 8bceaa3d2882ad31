package org.referralbus.system;

import jakarta.jms.ConnectionFactory;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jms.health.JmsHealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness's broker check ({@code jms}), answered within {@link #BOUND}. Spring Boot's own check opens a connection
 * with no time limit of its own, and while the broker was unreachable one such call outlasted a 30 s probe (CI,
 * stop 24). This runs that same check on a thread of its own and answers DOWN when it has not finished in time: a
 * node whose broker does not answer is not ready. A check still running is waited on, never started twice.
 */
@Component("jmsHealthIndicator")
class BrokerReadiness implements HealthIndicator, DisposableBean {

    static final Duration BOUND = Duration.ofSeconds(5);

    private final HealthIndicator check;
    private final Duration bound;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "broker-readiness");
        thread.setDaemon(true);
        return thread;
    });
    private Future<Health> running;

    @Autowired
    BrokerReadiness(ConnectionFactory connections) {
        this(new JmsHealthIndicator(connections), BOUND);
    }

    BrokerReadiness(HealthIndicator check, Duration bound) {
        this.check = check;
        this.bound = bound;
    }

    @Override
    public Health health() {
        Future<Health> answer;
        synchronized (this) {
            if (running == null || running.isDone()) {
                running = checker.submit(() -> check.health());
            }
            answer = running;
        }
        try {
            return answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Health.down().withDetail("reason", "the broker did not answer within " + bound.toSeconds() + " s").build();
        } catch (ExecutionException e) {
            return Health.down(e.getCause()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().build();
        }
    }

    @Override
    public void destroy() {
        checker.shutdownNow();
    }
}
