package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.ReferralExamples;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Receipted copies that never reached their channel (a send that failed after the receipt was stored and an agency
 * that did not send again, or a crash before the hand-overs were written) are handed over by the sweep, each once;
 * copies of a referral without a receipt, and copies stored after the sweep's cut-off, are left alone.
 */
class UnsentCopiesRouteTest extends AdvisedRoutes {

    @Autowired
    private UnsentCopies unsent;

    @Test
    void receiptedCopiesLeftUnsentAreHandedOverEachOnce() {
        String xml = freshExample("iom-mission-minor-khatlon");
        String referralId = ReferralExamples.referralId(xml);
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenExchangeReceived(1, e -> {
            throw new IllegalStateException("broker unavailable");
        });
        OffsetDateTime beforeTheReferral = OffsetDateTime.now().minusSeconds(1);
        Exchange done = submit(seal("iom-mission", xml), "iom-mission");
        assertThat(done.getException()).as("the agency, holding no receipt, would send again; this one does not").isNotNull();
        int stored = count("SELECT COUNT(*) FROM delivery WHERE referral_id = ?", referralId);
        int handedOverByChannel = count("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND channel <> 'WEBHOOK'", referralId);
        assertThat(count("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND state = 'SEALED'", referralId)).isEqualTo(stored);

        assertThat(unsent.handOverStoredBefore(beforeTheReferral, true)).as("stored after the cut-off: not yet").isZero();
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).reset();

        int handedOver = unsent.handOverStoredBefore(OffsetDateTime.now().plusSeconds(1), true);

        assertThat(handedOver).isEqualTo(stored);
        assertThat(count("SELECT COUNT(*) FROM delivery WHERE referral_id = ? AND state = 'SEALED'", referralId))
                .as("only webhook copies wait for their push").isEqualTo(stored - handedOverByChannel);
        assertThat(auditRows(referralId, "DELIVERED")).isEqualTo(handedOverByChannel);
        assertThat(copiesFor("child-protection-national")).hasSize(1);
        assertThat(copiesFor("child-protection-national").get(0).getMessage().getHeader(Flow.Headers.DUPLICATE_DETECTION_ID))
                .as("the broker drops a copy it already holds").isNotNull();

        sentTo(Flow.Endpoints.PROVIDER_QUEUE).reset();
        unsent.handOverStoredBefore(OffsetDateTime.now().plusSeconds(1), false);
        assertThat(copiesFor("child-protection-national")).as("handed over: not again").isEmpty();
        assertThat(auditRows(referralId, "DELIVERED")).isEqualTo(handedOverByChannel);
    }

    /**
     * A webhook copy stays SEALED until its push succeeds, which the broker may retry for many minutes: the periodic
     * sweep leaves it to the push; the sweep at start queues it again (dropped by the broker if still queued).
     */
    @Test
    void aWebhookCopyIsQueuedAgainOnlyAtStart() {
        StoredCopy copy = unsentCopyOfAReceiptedReferral("legal-aid-khujand", "LEGAL", "WEBHOOK");
        String deliveryId = copy.deliveryId();
        sentTo(Flow.Endpoints.WEBHOOKS_OUTBOUND).reset();

        assertThat(unsent.handOverStoredBefore(OffsetDateTime.now(), false)).isZero();
        assertThat(sentTo(Flow.Endpoints.WEBHOOKS_OUTBOUND).getReceivedCounter()).isZero();

        assertThat(unsent.handOverStoredBefore(OffsetDateTime.now(), true)).isEqualTo(1);
        assertThat(sentTo(Flow.Endpoints.WEBHOOKS_OUTBOUND).getExchanges()).singleElement()
                .satisfies(e -> assertThat(e.getMessage().getHeader(Flow.Headers.DUPLICATE_DETECTION_ID)).isEqualTo(deliveryId));
    }

    /**
     * Two hand-overs of one copy at once on one node (the check at start and the agency's retry, say) go one after the
     * other, and the second finds the copy handed over: Artemis looks a duplicate-detection id up before it records
     * it, so two sends of one copy at the same instant can both be kept (`ReceiptSurvivesKillEndToEndTest` once found
     * a copy twice on a provider's queue).
     */
    @Test
    void twoHandOversOfOneCopyAtOnceSendItOnce() throws Exception {
        StoredCopy copy = unsentCopyOfAReceiptedReferral("child-protection-national", "CHILD_PROTECTION", "QUEUE");
        String deliveryId = copy.deliveryId();
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).reset();
        CountDownLatch sending = new CountDownLatch(1);
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenAnyExchangeReceived(e -> {
            if (deliveryId.equals(e.getMessage().getHeader(Flow.Headers.DELIVERY_ID))) {
                sending.countDown();
                Thread.sleep(500); // a send the broker takes its time over
            }
        });

        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> unsent.handOverStoredBefore(OffsetDateTime.now(), false));
        assertThat(sending.await(30, TimeUnit.SECONDS)).isTrue();
        unsent.handOverStoredBefore(OffsetDateTime.now(), false);
        first.get(30, TimeUnit.SECONDS);

        assertThat(sentTo(Flow.Endpoints.PROVIDER_QUEUE).getExchanges())
                .filteredOn(e -> deliveryId.equals(e.getMessage().getHeader(Flow.Headers.DELIVERY_ID))).hasSize(1);
        assertThat(count("SELECT COUNT(*) FROM audit_event WHERE event_type = 'DELIVERED' AND detail LIKE ?", "%" + deliveryId + "%"))
                .isEqualTo(1);
    }

    /** The agency holds no receipt for it, so its retry finishes the referral, reusing the stored copy. */
    @Test
    void aCopyOfAReferralWithoutAReceiptIsLeftAlone() {
        String referralId = UUID.randomUUID().toString();
        String deliveryId = storedAnHourAgo(referralId, "child-protection-national", "CHILD_PROTECTION", "QUEUE");
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).reset();

        unsent.handOverStoredBefore(OffsetDateTime.now(), true);

        assertThat(sentTo(Flow.Endpoints.PROVIDER_QUEUE).getExchanges())
                .noneMatch(e -> deliveryId.equals(e.getMessage().getHeader(Flow.Headers.DELIVERY_ID)));
        assertThat(count("SELECT COUNT(*) FROM delivery WHERE delivery_id = ? AND state = 'SEALED'", deliveryId)).isEqualTo(1);
    }

    /**
     * A copy whose referral an attempt is processing is left to that attempt, which is sending it: by the check at start
     * if the attempt began since the bus started (not one a crash cut off), later if it holds the lease at all.
     */
    @Test
    void aCopyOfAReferralInProgressIsLeftToItsAttempt() {
        StoredCopy copy = unsentCopyOfAReceiptedReferral("child-protection-national", "CHILD_PROTECTION", "QUEUE");
        String referralId = copy.referralId();
        String deliveryId = copy.deliveryId();
        jdbc.update("UPDATE referral SET lease_until = ? WHERE referral_id = ?", OffsetDateTime.now().plusSeconds(30), referralId);
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).reset();

        unsent.handOverStoredBefore(OffsetDateTime.now(), true);
        unsent.handOverStoredBefore(OffsetDateTime.now(), false);
        assertThat(sentTo(Flow.Endpoints.PROVIDER_QUEUE).getExchanges()).as("its attempt holds the lease")
                .noneMatch(e -> deliveryId.equals(e.getMessage().getHeader(Flow.Headers.DELIVERY_ID)));

        jdbc.update("UPDATE referral SET lease_until = ? WHERE referral_id = ?", OffsetDateTime.now().minusHours(1), referralId);
        unsent.handOverStoredBefore(OffsetDateTime.now(), false);
        assertThat(sentTo(Flow.Endpoints.PROVIDER_QUEUE).getExchanges()).as("its attempt is over")
                .filteredOn(e -> deliveryId.equals(e.getMessage().getHeader(Flow.Headers.DELIVERY_ID))).hasSize(1);
    }

    private record StoredCopy(String referralId, String deliveryId) {
    }

    /** A referral of iom-mission, receipted, and one more copy of it stored an hour ago and never handed over. */
    private StoredCopy unsentCopyOfAReceiptedReferral(String providerId, String service, String channel) {
        String xml = freshExample("iom-mission-minor-khatlon");
        String referralId = ReferralExamples.referralId(xml);
        assertThat(submit(seal("iom-mission", xml), "iom-mission").getException()).isNull();
        return new StoredCopy(referralId, storedAnHourAgo(referralId, providerId, service, channel));
    }

    /**
     * A SEALED copy of iom-mission's referral, stored as the flow stores one (its bytes a stand-in), and the referral's
     * attempt long over (its lease ended an hour ago); returns its id.
     */
    private String storedAnHourAgo(String referralId, String providerId, String service, String channel) {
        jdbc.update("UPDATE referral SET lease_until = ? WHERE sender = 'iom-mission' AND referral_id = ?",
                OffsetDateTime.now().minusHours(1), referralId);
        String deliveryId = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO delivery (delivery_id, sender, referral_id, provider_id, services, rule, channel, urgency, state, "
                        + "envelope_sha256, sealed_envelope, created_at) VALUES (?, 'iom-mission', ?, ?, ?, ?, ?, 'ROUTINE', 'SEALED', ?, ?, ?)",
                deliveryId, referralId, providerId, service, "service:" + service, channel, "0".repeat(64), new byte[] {1, 2, 3},
                OffsetDateTime.now().minusHours(1));
        return deliveryId;
    }

    private int count(String sql, Object... arguments) {
        return jdbc.queryForObject(sql, Integer.class, arguments);
    }
}
