package org.referralbus.bench;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Agency gateways putting sealed envelopes on the durable intake queue ({@code referrals.intake}) in transacted
 * batches, each agency over the broker's TLS acceptor with its own certificate (the bus takes the sender from the
 * certificate the broker authenticated, and it must be the envelope's signer), then waiting until the bus has delivered every one: the clock runs from the first send to the last
 * referral whose status says its copies are handed over. The status is asked over mutual TLS, one referral at a
 * time in sending order, so the polling adds about one small request per referral.
 */
final class QueueLoad {

    private static final String INTAKE = "referrals.intake";
    private static final int BATCH = 50;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String brokerUrl;
    private final HttpsLoad status;
    private final BenchReferrals agencies;
    private final Path trustAnchors;

    QueueLoad(String brokerUrl, HttpsLoad status, BenchReferrals agencies, Path trustAnchors) {
        this.brokerUrl = brokerUrl;
        this.status = status;
        this.agencies = agencies;
        this.trustAnchors = trustAnchors;
    }

    /** Referrals per second through the queue, or a failure naming the referral that never arrived. */
    double run(List<BenchReferrals.Sealed> referrals, long timeoutMillis, IntConsumer progress) throws Exception {
        long start = System.nanoTime();
        Map<String, List<BenchReferrals.Sealed>> byAgency = new LinkedHashMap<>();
        referrals.forEach(r -> byAgency.computeIfAbsent(r.agency(), a -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<BenchReferrals.Sealed>> agency : byAgency.entrySet()) {
            send(agency.getKey(), agency.getValue());
        }
        // Asked in the order sent (agency by agency), so the progress shown follows the queue.
        List<BenchReferrals.Sealed> sent = byAgency.values().stream().flatMap(List::stream).toList();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        for (int i = 0; i < sent.size(); i++) {
            while (!delivered(status.status(sent.get(i)))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Referral " + sent.get(i).referralId() + " from the intake queue was not "
                            + "delivered within " + timeoutMillis / 1000 + " s; see the bus log");
                }
                Thread.sleep(100);
            }
            progress.accept(i + 1);
        }
        return referrals.size() / ((System.nanoTime() - start) / 1e9);
    }

    private void send(String agency, List<BenchReferrals.Sealed> referrals) throws Exception {
        try (BrokerClient client = new BrokerClient(brokerUrl, agencies.agencyFile(agency, ".crt"), agencies.agencyFile(agency, ".key"),
                trustAnchors);
             Connection connection = client.factory().createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer producer = session.createProducer(session.createQueue(INTAKE));
            for (int i = 0; i < referrals.size(); i++) {
                BytesMessage message = session.createBytesMessage();
                message.writeBytes(referrals.get(i).envelope());
                producer.send(message);
                if ((i + 1) % BATCH == 0 || i == referrals.size() - 1) {
                    session.commit();
                }
            }
        }
    }

    /** The referral's overall state (the first "state" of the answer; the needs' come after it) is past ROUTED. */
    private static boolean delivered(String statusJson) {
        if (statusJson == null) {
            return false;
        }
        String overall = JSON.readTree(statusJson).path("state").asString("");
        return !overall.isEmpty() && !overall.equals("RECEIVED") && !overall.equals("ROUTED");
    }
}
