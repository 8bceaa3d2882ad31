package org.referralbus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.referralbus.core.Flow;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.routing.Assignment;
import org.referralbus.routing.Provider;
import org.referralbus.routing.RoutingContext;
import org.referralbus.routing.RoutingRules;
import org.referralbus.validation.Referral;
import org.referralbus.validation.ReferralReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for Camel route tests: the real application with its real beans, database and crypto, in a Spring context of
 * its own (own data directory and broker, no HTTP server), whose routes are advised once, here only:
 * <ul>
 *   <li>every {@code jms:} producer is replaced by a mock endpoint ({@link #sentTo(String)}, {@link #copiesFor(String)}), so
 *       nothing reaches the broker;</li>
 *   <li>the routes that consume {@code jms:} queues are fed through {@code direct:} endpoints instead ({@link #INTAKE_QUEUE},
 *       {@link #PUSH_WEBHOOK}, {@link #WEBHOOK_DEAD_LETTERS}, {@link #ACKNOWLEDGEMENTS_OF_REINTEGRATION}), and the provider's webhook is {@link #PROVIDER_WEBHOOK};</li>
 *   <li>after each step in {@link #TAPPED} a mock endpoint ({@link #passed(String)}) counts the exchanges that went that way
 *       (AdviceWith does not reach into a {@code doCatch}: what the queue intake parks shows on its queue's mock).</li>
 * </ul>
 * Tests assert the path with those mocks and {@link org.apache.camel.builder.NotifyBuilder}. Mocks are reset before
 * each test; tests use fresh referral ids.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
public abstract class AdvisedRoutes {

    public static final String INTAKE_QUEUE = "direct:referral-intake-queue-under-test";
    public static final String PUSH_WEBHOOK = "direct:push-webhook-under-test";
    public static final String WEBHOOK_DEAD_LETTERS = "direct:webhook-dead-letters-under-test";
    public static final String PROVIDER_WEBHOOK = "mock:provider-webhook";
    /** Feeds the entry route of reintegration-national's acknowledgement queue ({@code acknowledgements-reintegration-national}). */
    public static final String ACKNOWLEDGEMENTS_OF_REINTEGRATION = "direct:acknowledgements-reintegration-national-under-test";

    /** Per route, the steps after which a mock counts the exchanges that passed. */
    static final Map<String, List<String>> TAPPED = Map.of(
            "process-referral", List.of("replay-receipt", "link-case", "answer-with-stored-receipt"),
            "route-and-deliver", List.of("route-referral", "issue-receipt"),
            "hand-over-copy", List.of("mark-delivered", "mark-in-inbox", "queue-webhook-push"),
            "push-webhook", List.of("mark-pushed"),
            "webhook-dead-letters", List.of("escalate-dead-letter", "reroute-dead-letter"),
            "reroute", List.of("hand-to-coordinator", "choose-next-provider", "audit-reroute"),
            "referral-intake-queue", List.of("process-queued-envelope"),
            "acknowledge-from-queue", List.of("apply-acknowledgement"),
            "acknowledgements-reintegration-national", List.of("sender-from-queue-reintegration-national"));

    private static final Path DATA_DIR = createDataDir();
    private static final int BROKER_PORT = LocalMachine.freePort();
    private static CamelContext advised;

    @Autowired
    protected CamelContext camel;
    @Autowired
    protected ProducerTemplate template;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    private EnvelopeOpener opener;
    @Autowired
    private ReferralReader reader;
    @Autowired
    private RoutingRules rules;

    @DynamicPropertySource
    static void routeTestProperties(DynamicPropertyRegistry registry) {
        registry.add("referral-bus.data-dir", DATA_DIR::toString);
        registry.add("referral-bus.broker.port", () -> BROKER_PORT);
        // Tests run the deadline sweep themselves; the scheduled one must not race them.
        registry.add("referral-bus.delivery.escalation-check", () -> "1h");
    }

    @BeforeEach
    void adviseOnceAndResetMocks() throws Exception {
        synchronized (AdvisedRoutes.class) {
            if (advised != camel) {
                advised = camel; // once, even if it fails: advice is not repeatable
                advise();
            }
        }
        MockEndpoint.resetMocks(camel);
    }

    private void advise() throws Exception {
        for (Map.Entry<String, List<String>> route : TAPPED.entrySet()) {
            AdviceWith.adviceWith(camel, route.getKey(), a -> {
                a.mockEndpointsAndSkip("jms:*");
                switch (route.getKey()) {
                    case "referral-intake-queue" -> a.replaceFromWith(INTAKE_QUEUE);
                    case "push-webhook" -> {
                        a.replaceFromWith(PUSH_WEBHOOK);
                        a.weaveById("post-to-provider").replace().to(PROVIDER_WEBHOOK);
                    }
                    case "webhook-dead-letters" -> a.replaceFromWith(WEBHOOK_DEAD_LETTERS);
                    case "acknowledgements-reintegration-national" -> a.replaceFromWith(ACKNOWLEDGEMENTS_OF_REINTEGRATION);
                    default -> {
                    }
                }
                for (String step : route.getValue()) {
                    a.weaveById(step).after().to(passed(step));
                }
            });
        }
        // The provider queue's toD creates its endpoint at the first send, which the parallel split makes from several
        // threads at once: each advised it with a mock of its own, and a copy could land in one nobody reads.
        camel.getEndpoint(Flow.Endpoints.PROVIDER_QUEUE);
    }

    /** Counts the exchanges that went past the step with this id (one of {@link #TAPPED}). */
    protected MockEndpoint passed(String stepId) {
        return camel.getEndpoint(passedUri(stepId), MockEndpoint.class);
    }

    private static String passedUri(String stepId) {
        return "mock:passed:" + stepId;
    }

    /** What the flow sent to this {@code jms:} endpoint of {@link Flow.Endpoints}, instead of the broker. */
    protected MockEndpoint sentTo(String endpointUri) {
        return camel.getEndpoint("mock:" + endpointUri, MockEndpoint.class);
    }

    /**
     * The copies the flow put on this QUEUE provider's queue. (The provider queue is one {@code toD}, which camel-jms
     * sends through one endpoint naming the queue per message, so it is one mock too.)
     */
    protected List<Exchange> copiesFor(String providerId) {
        return sentTo(Flow.Endpoints.PROVIDER_QUEUE).getExchanges().stream()
                .filter(e -> providerId.equals(e.getMessage().getHeader(Flow.Headers.PROVIDER_ID)))
                .toList();
    }

    /** A fresh copy of a sample referral, sealed by its agency for the bus; its id is {@link ReferralExamples#referralId}. */
    protected static String freshExample(String example) {
        return ReferralExamples.withFreshId(ReferralExamples.example(example));
    }

    protected static byte[] seal(String agency, String xml) {
        return SampleKeys.agencySealer(agency).seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
    }

    /** Submits as the HTTPS intake does: envelope bytes and the TLS client's id. */
    protected Exchange submit(byte[] envelope, String tlsClient) {
        return template.send(Flow.Endpoints.PROCESS_REFERRAL, exchange -> {
            exchange.getIn().setBody(envelope);
            exchange.getIn().setHeader(Flow.Headers.TLS_CLIENT, tlsClient);
        });
    }

    /** One provider's share of a fresh sample referral, opened and read as the intake would (but without its audit rows). */
    protected record Share(OpenedEnvelope opened, Referral referral, Assignment assignment) {

        /** The same share for a provider that takes copies on this channel. */
        public Share on(Provider.DeliveryChannel channel) {
            Provider p = assignment.provider();
            Provider moved = new Provider(p.id(), p.name(), p.services(), p.regions(), p.isNational(), p.accepts(), p.capacity(), p.certificate(),
                    channel, channel == Provider.DeliveryChannel.WEBHOOK ? URI.create("https://localhost:1/never-called") : null);
            return new Share(opened, referral, new Assignment(moved, assignment.services(), assignment.owned(),
                    assignment.rules(), assignment.reasons()));
        }
    }

    /** The first provider's share of a fresh copy of this sample, sealed by its agency. */
    protected Share firstShare(String agency, String example) {
        OpenedEnvelope opened = opener.open(seal(agency, freshExample(example)));
        Referral referral = reader.read(opened.content());
        return new Share(opened, referral, rules.decide(referral, RoutingContext.FIRST).assignments().get(0));
    }

    /** Hands one share to the dispatch-delivery route, as route-and-deliver and reroute do. */
    protected Exchange dispatch(Share share) {
        return template.send(Flow.Endpoints.DISPATCH_DELIVERY, exchange -> {
            exchange.setProperty(Flow.Properties.REFERRAL, share.referral());
            exchange.setProperty(Flow.Properties.OPENED, share.opened());
            exchange.getIn().setBody(share.assignment());
        });
    }

    protected int auditRows(String referralId, String eventType) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE referral_id = ? AND event_type = ?",
                Integer.class, referralId, eventType);
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("referral-bus-routes-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
