package org.referralbus.core;

/**
 * Every name the referral flow uses, defined once: the headers and exchange properties its steps pass along, the
 * broker queues, and the endpoints of {@code routes/*.camel.yaml}. The YAML cannot import these constants, so it
 * spells them out; {@code FlowNamesTest} checks that it spells exactly these, no more and no fewer.
 *
 * <p>Step beans read them through Camel's parameter binding ({@code @Header}, {@code @ExchangeProperty}) and return
 * their result as the new body; the route files are the only place that stores a result under one of these names.
 */
public final class Flow {

    private Flow() {
    }

    /** Message headers. Those of a provider's copy travel with it as JMS properties: providers see them. */
    public static final class Headers {

        /**
         * Participant id of the authenticated client: the TLS client on the HTTPS intake, the broker-validated user on
         * the queue intake (which drops any value a sender claims, with every other {@code referralBus*} property).
         */
        public static final String TLS_CLIENT = "referralBusTlsClient";
        /** {@code true} when the submission repeats one already routed; the body is then its receipt. */
        public static final String DUPLICATE = "referralBusDuplicate";
        /** A provider's copy: its delivery id. */
        public static final String DELIVERY_ID = "referralBusDeliveryId";
        /**
         * A provider's copy: the provider's participant id. On an acknowledgement taken from a provider's queue
         * ({@link Queues#ACKNOWLEDGEMENTS_PREFIX}): the provider that queue belongs to, set by the bus from the queue
         * (the broker lets only that provider send there), never read from the message.
         */
        public static final String PROVIDER_ID = "referralBusProviderId";
        /** A provider's copy: the referral's id (providers select their copies by it). */
        public static final String REFERRAL_ID = "referralBusReferralId";
        /** A provider's copy: the services it shows, comma-separated. */
        public static final String SERVICES = "referralBusServices";
        /** A provider's copy: QUEUE, INBOX or WEBHOOK. */
        public static final String CHANNEL = "referralBusChannel";
        /** Artemis's duplicate-detection property: the broker drops a second message with the same value. */
        public static final String DUPLICATE_DETECTION_ID = "_AMQ_DUPL_ID";
        /**
         * Set by the broker on every message: the user it authenticated (by certificate) for the sending connection.
         * Artemis keeps it in {@code _AMQ_VALIDATED_USER} and shows it to JMS as this property, overwriting any value a
         * sender sets.
         */
        public static final String VALIDATED_USER = "JMSXUserID";
        /** An envelope parked on {@link Queues#REFERRALS_INTAKE_REJECTED}: why it was refused ({@link ErrorCode#code()}). */
        public static final String ERROR_CODE = "referralBusErrorCode";

        private Headers() {
        }
    }

    /** Exchange properties: what one exchange knows about its referral; never leaves the bus. */
    public static final class Properties {

        /** The envelope bytes exactly as received (sealed), kept first thing by the intake. */
        public static final String RAW_ENVELOPE = "referralBusRawEnvelope";
        /** The {@code OpenedEnvelope}. */
        public static final String OPENED = "referralBusOpened";
        /** The validated {@code Referral}. */
        public static final String REFERRAL = "referralBusReferral";
        /** When the bus first accepted this referral (from the ledger, so retries agree); set once this exchange owns it. */
        public static final String RECEIVED_AT = "referralBusReceivedAt";
        /** The {@code CaseLink} (case id, version, providers already holding the case). */
        public static final String CASE_LINK = "referralBusCaseLink";
        /**
         * A new referral's copies, stored before the first is sent, by delivery id ({@code DeliveryDispatcher.prepareAll});
         * their rows are on the disk once the flow's {@code force-to-disk} step ran.
         */
        public static final String SEALED_COPIES = "referralBusSealedCopies";
        /** A new referral's signed {@code Receipt}, stored and forced to the disk before its copies leave. */
        public static final String RECEIPT = "referralBusReceipt";
        /** The {@code RerouteRequest} being served by the reroute route. */
        public static final String REROUTE_REQUEST = "referralBusRerouteRequest";
        /** The {@code CaseNotice} being served by the case-notice route (a merge or split the coordinator made). */
        public static final String CASE_NOTICE = "referralBusCaseNotice";
        /** Set while the flow runs inside the intake queue consumer's broker transaction, which its sends join. */
        public static final String INTAKE_TRANSACTION = "referralBusIntakeTransaction";

        private Properties() {
        }
    }

    /** Broker addresses (Artemis queues). */
    public static final class Queues {

        /** Envelopes agencies or gateways put on the broker instead of POSTing them. */
        public static final String REFERRALS_INTAKE = "referrals.intake";
        /** Refused intake envelopes, still sealed, labelled with {@link Headers#ERROR_CODE}. */
        public static final String REFERRALS_INTAKE_REJECTED = "referrals.intake.rejected";
        /** Sealed copies waiting to be pushed to a WEBHOOK provider. */
        public static final String WEBHOOKS_OUTBOUND = "webhooks.outbound";
        /** Copies the broker gave up pushing; their needs go to the coordinator. */
        public static final String WEBHOOKS_DEAD = "webhooks.dead";
        /** Status events (JSON, no personal data) waiting to be posted to the sending agency's callback. */
        public static final String CALLBACKS_OUTBOUND = "callbacks.outbound";
        /** Status events the broker gave up posting; audited as dead-lettered. */
        public static final String CALLBACKS_DEAD = "callbacks.dead";
        /**
         * Where the broker parks what it gave up redelivering (intake envelopes, provider copies): kept until an admin
         * redelivers it ({@code referral-bus.jar admin dead-letters}).
         */
        public static final String DEAD_LETTERS = "DLQ";
        /** Prefix of a QUEUE provider's queue, {@code deliveries.<providerId>}. */
        public static final String DELIVERIES_PREFIX = "deliveries.";
        /**
         * Prefix of a QUEUE provider's acknowledgement queue, {@code acknowledgements.<providerId>}: only that provider
         * may send there, so the queue names the sender.
         */
        public static final String ACKNOWLEDGEMENTS_PREFIX = "acknowledgements.";
        /**
         * Acknowledgements the bus refused (unknown or another provider's delivery, malformed body, conflict), as sent,
         * labelled with {@link Headers#ERROR_CODE} and {@link Headers#PROVIDER_ID}. Not under the prefix above, so no
         * provider id can name it.
         */
        public static final String ACKNOWLEDGEMENTS_REJECTED = "rejected.acknowledgements";

        private Queues() {
        }
    }

    /** Endpoint URIs exactly as the route files write them. */
    public static final class Endpoints {

        /** The shared pipeline: open, validate, dedupe, link, route, deliver, receipt. In: envelope bytes; out: the receipt. */
        public static final String PROCESS_REFERRAL = "direct:process-referral";
        /** Decide the providers, one copy each, then the receipt. */
        public static final String ROUTE_AND_DELIVER = "direct:route-and-deliver";
        /** One provider's copy. In: an {@code Assignment}. */
        public static final String DISPATCH_DELIVERY = "direct:dispatch-delivery";
        /** A sealed copy to its provider's channel (queue, inbox or webhook push). In: a {@code SealedCopy}. */
        public static final String HAND_OVER_COPY = "direct:hand-over-copy";
        /** Needs to a new provider or the coordinator. In: a {@code RerouteRequest}. */
        public static final String REROUTE = "direct:reroute";
        /** A provider is told its referral's case changed (merge, split). In: a {@code CaseNotice}. */
        public static final String CASE_NOTICE = "direct:case-notice";
        public static final String REFERRALS_INTAKE = "jms:queue:" + Queues.REFERRALS_INTAKE;
        public static final String REFERRALS_INTAKE_REJECTED = "jms:queue:" + Queues.REFERRALS_INTAKE_REJECTED;
        public static final String WEBHOOKS_OUTBOUND = "jms:queue:" + Queues.WEBHOOKS_OUTBOUND;
        public static final String WEBHOOKS_DEAD = "jms:queue:" + Queues.WEBHOOKS_DEAD;
        public static final String CALLBACKS_OUTBOUND = "jms:queue:" + Queues.CALLBACKS_OUTBOUND;
        public static final String CALLBACKS_DEAD = "jms:queue:" + Queues.CALLBACKS_DEAD;
        /**
         * One acknowledgement from a QUEUE provider's queue. In: the message body as sent and {@link Headers#PROVIDER_ID}
         * (the queue's provider); each {@code acknowledgements.<id>} queue has an entry route that feeds it
         * ({@code AcknowledgementQueueRoutes}).
         */
        public static final String ACKNOWLEDGE_FROM_QUEUE = "direct:acknowledge-from-queue";
        public static final String ACKNOWLEDGEMENTS_REJECTED = "jms:queue:" + Queues.ACKNOWLEDGEMENTS_REJECTED;
        /** Dynamic ({@code toD}): the queue of the provider named in {@link Headers#PROVIDER_ID}. */
        public static final String PROVIDER_QUEUE = "jms:queue:" + Queues.DELIVERIES_PREFIX + "${header." + Headers.PROVIDER_ID + "}";

        private Endpoints() {
        }
    }
}
