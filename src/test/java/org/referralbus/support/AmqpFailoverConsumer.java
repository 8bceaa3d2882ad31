package org.referralbus.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A provider consuming its queue with a stock AMQP 1.0 client (rhea, {@code amqp-failover-consumer.js}) that moves to
 * the next broker of a live/backup pair when its connection drops. Collects what it printed: connections and the
 * referral and delivery ids of every message it accepted (a message in flight when the live broker died may come
 * again from the backup, with the same delivery id).
 */
public final class AmqpFailoverConsumer implements AutoCloseable {

    private static final Path CLIENT = Path.of("target/amqp-client");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> firstConnectedAt = new java.util.concurrent.ConcurrentHashMap<>();

    private AmqpFailoverConsumer(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "amqp-failover-consumer");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts consuming {@code deliveries.<provider>} with the provider's sample certificate, trying the ports in turn. */
    public static AmqpFailoverConsumer start(String provider, int... ports) throws IOException, InterruptedException {
        AmqpProbe.installScript("amqp-failover-consumer.js");
        List<String> command = new ArrayList<>(List.of("node", CLIENT.resolve("amqp-failover-consumer.js").toString(),
                SampleKeys.certificate("providers", provider).toString(), SampleKeys.key("providers", provider).toString(),
                SampleKeys.ROOT.resolve("ca.crt").toString(), "deliveries." + provider));
        for (int port : ports) {
            command.add(Integer.toString(port));
        }
        return new AmqpFailoverConsumer(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits until the client has opened a connection to the broker on {@code port}. */
    public void awaitConnectedTo(int port, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (events.stream().noneMatch(e -> "connected".equals(e.path("event").asString()) && e.path("port").asInt() == port)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("the AMQP consumer did not connect to port " + port + " within " + atMost + ": " + events);
            }
            pause();
        }
    }

    /** When ({@link System#nanoTime()}) it first connected to the broker on {@code port}, or -1. */
    public long firstConnectedAt(int port) {
        return firstConnectedAt.getOrDefault(port, -1L);
    }

    /** Referral id to the distinct delivery ids received for it. */
    public Map<String, Set<String>> deliveriesByReferral() {
        Map<String, Set<String>> received = new HashMap<>();
        messages().forEach(e -> received.computeIfAbsent(e.path("referralId").asString(), k -> new HashSet<>())
                .add(e.path("deliveryId").asString()));
        return received;
    }

    /** Messages received, repeats included. */
    public int messageCount() {
        return (int) messages().count();
    }

    /** Waits until every one of these referrals has been received at least once. */
    public void awaitReferrals(Set<String> referralIds, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!deliveriesByReferral().keySet().containsAll(referralIds)) {
            if (System.nanoTime() > deadline) {
                Set<String> missing = new HashSet<>(referralIds);
                missing.removeAll(deliveriesByReferral().keySet());
                throw new IllegalStateException(missing.size() + " referrals never reached the AMQP consumer within " + atMost
                        + ", e.g. " + missing.stream().limit(5).toList() + "; its events: " + connections());
            }
            pause();
        }
    }

    /** Its connection events, in order. */
    public List<String> connections() {
        return events.stream().filter(e -> !"message".equals(e.path("event").asString())).map(JsonNode::toString).toList();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private java.util.stream.Stream<JsonNode> messages() {
        return events.stream().filter(e -> "message".equals(e.path("event").asString()));
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("{")) {
                    JsonNode event = JSON.readTree(line);
                    if ("connected".equals(event.path("event").asString())) {
                        firstConnectedAt.putIfAbsent(event.path("port").asInt(), System.nanoTime());
                    }
                    events.add(event);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
