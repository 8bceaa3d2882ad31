package org.referralbus.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.referralbus.core.Flow;
import org.referralbus.delivery.DeliveryProperties;
import org.referralbus.routing.Provider;

/**
 * The one description of the broker the bus needs, embedded or standalone: its queues, redelivery and dead-letter
 * settings, the duplicate-ID cache, and who may do what on which address. {@link EmbeddedBrokerLayout} applies it
 * to the embedded Artemis; {@link StandaloneBrokerFiles} writes it as the standalone broker's {@code broker.xml} and
 * certificate-login files ({@code referral-bus.jar broker-config}). Change a queue or a right here, and both follow.
 *
 * <p>Rights: the bus (in-VM, or its own certificate) may use every address, and of the management API only
 * {@link #MOVE_MESSAGES} on the parking queues (Artemis's per-operation rights, {@code management-message-rbac}); a listed
 * agency may only send to {@code referrals.intake}; a provider may only consume and browse {@code deliveries.<its
 * id>} and send to {@code acknowledgements.<its id>} (so that queue names the sender of what is on it). Nobody else may do anything, and no participant may manage the broker through messages. Artemis takes the
 * most specific match of an address alone, so every participant's match repeats the bus's grant.
 */
public final class BrokerLayout {

    /** Role of the bus's own connections. */
    public static final String BUS_ROLE = "referral-bus";
    /**
     * User name of the bus's own connections (in-VM, or with its certificate to a standalone broker). The dot keeps it
     * apart from every participant id, which never contains one: a message it sent can never pass for an agency's.
     */
    public static final String BUS_USER = "referral-bus.internal";
    /** Role of every listed agency. */
    public static final String AGENCY_ROLE = "agency";
    /** Where a message the bus could not process lands after its attempts (never dropped). */
    public static final String DEAD_LETTER_ADDRESS = Flow.Queues.DEAD_LETTERS;
    /** Duplicate-detection ids remembered per address: a delivery id resent after a crash is dropped by the broker. */
    public static final int DUPLICATE_ID_CACHE_SIZE = 100_000;
    /** Artemis's match for every address: where the memory bound per queue is set. */
    public static final String EVERY_ADDRESS = "#";

    /** How much of a queue's paged messages the broker reads back into memory ahead of its consumers: the same bound. */
    static int readAhead(long memoryPerQueueBytes) {
        return (int) Math.min(Integer.MAX_VALUE, memoryPerQueueBytes);
    }

    /**
     * The size of a queue's page files: a quarter of the bound. The page being written keeps its messages in memory
     * until it is full, so Artemis's default of 10 MB per page let every paging queue hold 10 MB more than its bound.
     */
    static int pageSize(long memoryPerQueueBytes) {
        return (int) Math.min(Integer.MAX_VALUE, memoryPerQueueBytes / 4);
    }

    /**
     * The parking queues: an admin moves single messages off them ({@code dead-letters redeliver}), which only the
     * broker can do for a message waiting on disk, through its management operation {@link #MOVE_MESSAGES}.
     */
    public static final List<String> PARKING_QUEUES = List.of(DEAD_LETTER_ADDRESS, Flow.Queues.REFERRALS_INTAKE_REJECTED);
    /** Where management requests are sent as messages (Artemis's default, written out for the standalone broker). */
    public static final String MANAGEMENT_ADDRESS = "activemq.management";
    /**
     * Artemis's prefix of the security matches that name one management operation on one resource
     * ({@code management-message-rbac}): {@code mops.queue.DLQ.moveMessages}.
     */
    public static final String MANAGEMENT_RBAC_PREFIX = "mops";
    /** The only management operation anyone may call: the bus, on a parking queue. */
    public static final String MOVE_MESSAGES = "moveMessages";

    /** The security match of a management operation on a queue. */
    static String queueOperation(String queue, String operation) {
        return MANAGEMENT_RBAC_PREFIX + ".queue." + queue + "." + operation;
    }

    /** The queues every broker of the bus has from the start. */
    public static final List<String> FIXED_QUEUES = List.of(Flow.Queues.REFERRALS_INTAKE, Flow.Queues.REFERRALS_INTAKE_REJECTED,
            Flow.Queues.WEBHOOKS_OUTBOUND, Flow.Queues.WEBHOOKS_DEAD, Flow.Queues.CALLBACKS_OUTBOUND, Flow.Queues.CALLBACKS_DEAD,
            Flow.Queues.ACKNOWLEDGEMENTS_REJECTED, DEAD_LETTER_ADDRESS);

    /** What a role may do on a matched address; the names are Artemis's permission types. */
    public enum Permission {
        SEND("send"), CONSUME("consume"), BROWSE("browse"), CREATE_ADDRESS("createAddress"),
        CREATE_DURABLE_QUEUE("createDurableQueue"), CREATE_NON_DURABLE_QUEUE("createNonDurableQueue"),
        DELETE_NON_DURABLE_QUEUE("deleteNonDurableQueue"),
        /** Send requests to the management address; what they may do is {@link #EDIT} on an operation's match. */
        MANAGE("manage"),
        /** Call a management operation that changes something, on the operation's own match. */
        EDIT("edit");

        private final String artemisName;

        Permission(String artemisName) {
            this.artemisName = artemisName;
        }

        public String artemisName() {
            return artemisName;
        }
    }

    /** One role's rights on a match. */
    public record Grant(String role, Set<Permission> permissions) {
    }

    /** Attempts and back-off before a message moves to {@code deadLetterAddress}. */
    public record Redelivery(String deadLetterAddress, int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {
    }

    /** Everything on an address; management only where {@link #security()} grants it. */
    private static final Set<Permission> BUS_RIGHTS = EnumSet.complementOf(EnumSet.of(Permission.MANAGE, Permission.EDIT));

    private final List<String> queueProviders;
    private final Redelivery webhookRedelivery;

    /**
     * @param queueProviders    ids of the providers that receive on their own queue ({@code deliveries.<id>})
     * @param webhookRedelivery attempts and back-off of the webhook push (from {@code referral-bus.delivery.webhook})
     */
    public BrokerLayout(List<String> queueProviders, Redelivery webhookRedelivery) {
        this.queueProviders = List.copyOf(queueProviders);
        this.webhookRedelivery = webhookRedelivery;
    }

    /** The layout for these providers (those on the QUEUE channel get a queue) and the webhook push's retry settings. */
    public static BrokerLayout of(List<Provider> providers, DeliveryProperties.Webhook webhook) {
        return new BrokerLayout(providers.stream().filter(p -> p.channel() == Provider.DeliveryChannel.QUEUE).map(Provider::id).toList(),
                new Redelivery(Flow.Queues.WEBHOOKS_DEAD, webhook.maxAttempts(), webhook.initialDelay(), 2.0, webhook.maxDelay()));
    }

    public static String providerRole(String providerId) {
        return "provider-" + providerId;
    }

    public static String providerQueue(String providerId) {
        return Flow.Queues.DELIVERIES_PREFIX + providerId;
    }

    /** Where this QUEUE provider sends its acknowledgements, {@code acknowledgements.<id>}; only it may send there. */
    public static String acknowledgementQueue(String providerId) {
        return Flow.Queues.ACKNOWLEDGEMENTS_PREFIX + providerId;
    }

    /** Ids of the providers on the QUEUE channel: each has a delivery queue and an acknowledgement queue. */
    public List<String> queueProviders() {
        return queueProviders;
    }

    /** Every durable anycast queue, each on an address of the same name. */
    public List<String> queues() {
        List<String> queues = new ArrayList<>(FIXED_QUEUES);
        queueProviders.forEach(id -> queues.add(providerQueue(id)));
        queueProviders.forEach(id -> queues.add(acknowledgementQueue(id)));
        return queues;
    }

    /** Address match → redelivery: retried, then parked, never dropped. */
    public Map<String, Redelivery> redelivery() {
        Redelivery retryThenPark = new Redelivery(DEAD_LETTER_ADDRESS, 5, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1));
        Map<String, Redelivery> settings = new LinkedHashMap<>();
        settings.put("referrals.#", retryThenPark);
        settings.put(Flow.Queues.DELIVERIES_PREFIX + "#", retryThenPark);
        // An acknowledgement the bus could not apply for an internal reason (not a refusal) is retried, then parked.
        settings.put(Flow.Queues.ACKNOWLEDGEMENTS_PREFIX + "#", retryThenPark);
        settings.put(Flow.Queues.WEBHOOKS_OUTBOUND, webhookRedelivery);
        // Status callbacks to agencies are retried and parked exactly like webhook pushes to providers.
        settings.put(Flow.Queues.CALLBACKS_OUTBOUND, new Redelivery(Flow.Queues.CALLBACKS_DEAD, webhookRedelivery.maxAttempts(),
                webhookRedelivery.initialDelay(), webhookRedelivery.multiplier(), webhookRedelivery.maxDelay()));
        return settings;
    }

    /** Address match → who may do what there. Addresses that match nothing but {@code #} are the bus's alone. */
    public Map<String, List<Grant>> security() {
        Map<String, List<Grant>> security = new LinkedHashMap<>();
        Grant bus = new Grant(BUS_ROLE, BUS_RIGHTS);
        security.put("#", List.of(bus));
        security.put(Flow.Queues.REFERRALS_INTAKE, List.of(bus, new Grant(AGENCY_ROLE, EnumSet.of(Permission.SEND))));
        for (String id : queueProviders) {
            security.put(providerQueue(id), List.of(bus, new Grant(providerRole(id), EnumSet.of(Permission.CONSUME, Permission.BROWSE))));
            security.put(acknowledgementQueue(id), List.of(bus, new Grant(providerRole(id), EnumSet.of(Permission.SEND))));
        }
        // The bus may ask the broker to move parked messages, which it alone can do for those on disk; nothing else.
        security.put(MANAGEMENT_ADDRESS, List.of(new Grant(BUS_ROLE, EnumSet.of(Permission.MANAGE))));
        for (String parking : PARKING_QUEUES) {
            security.put(queueOperation(parking, MOVE_MESSAGES), List.of(new Grant(BUS_ROLE, EnumSet.of(Permission.EDIT))));
        }
        return security;
    }

    /**
     * The TLS part of the acceptor URL: TLS only, a client certificate required and checked against
     * {@code trustAnchors}; TLS 1.3 and 1.2 with AEAD suites only, as on the HTTPS port; AMQP's SASL offers EXTERNAL
     * (the certificate) only. The key store (a PEMCFG file: the PEM files it names too) and the trust anchors are
     * watched ({@code sslAutoReload}): when a file's modification time moves, at Artemis's next look
     * ({@code configuration-file-refresh-period}, {@link #TLS_FILES_LOOKED_AT_EVERY_MS}), new connections get the
     * renewed certificate; open ones keep theirs.
     */
    public static String tlsAcceptorParameters(String keyStoreType, String keyStorePath, String trustAnchors) {
        return "sslEnabled=true;needClientAuth=true;keyStoreType=" + keyStoreType + ";keyStorePath=" + keyStorePath
                + ";trustStoreType=PEM;trustStorePath=" + trustAnchors + ";enabledProtocols=TLSv1.3,TLSv1.2"
                + ";enabledCipherSuites=" + String.join(",", CIPHER_SUITES)
                // AMQP clients log in with SASL EXTERNAL (their TLS certificate); PLAIN and ANONYMOUS are not offered.
                + ";saslMechanisms=EXTERNAL"
                // A renewed acceptor certificate copied over the files applies without a restart (operators.md, "Things that run out").
                + ";sslAutoReload=true";
    }

    /** How often the broker looks at the acceptor's TLS files (Artemis's default {@code configuration-file-refresh-period}, pinned). */
    public static final long TLS_FILES_LOOKED_AT_EVERY_MS = 5_000;

    private static final List<String> CIPHER_SUITES = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    /** The protocols the acceptor speaks, both over TLS. */
    public static final String PROTOCOLS = "CORE,AMQP";
}
