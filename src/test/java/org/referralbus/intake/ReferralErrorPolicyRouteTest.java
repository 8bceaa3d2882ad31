package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.core.Flow;
import org.referralbus.core.ReferralBusException;
import org.referralbus.dedupe.Receipt;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.ReferralExamples;

/**
 * The referral-error-policy route configuration audits a rejection with its code and hands it back to the caller;
 * process-referral's on-failure completion gives up a referral the failed attempt had taken over.
 */
class ReferralErrorPolicyRouteTest extends AdvisedRoutes {

    @Test
    void rejectionIsAuditedWithItsCodeAndHandedBackToTheCaller() {
        NotifyBuilder failed = new NotifyBuilder(camel).fromRoute("process-referral").whenFailed(1).create();

        Exchange done = submit("not an envelope".getBytes(StandardCharsets.US_ASCII), "border-service");

        assertThat(failed.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(done.getException()).isInstanceOfSatisfying(ReferralBusException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ENVELOPE_MALFORMED));
        assertThat(latestRejection()).containsEntry("ACTOR", "border-service").containsEntry("DETAIL", "envelope_malformed");
        assertThat(passed("link-case").getReceivedCounter()).isZero();
        assertThat(sentTo(Flow.Endpoints.PROVIDER_QUEUE).getReceivedCounter()).isZero();
    }

    @Test
    void anAttemptThatFailsAfterTakingTheReferralOverReleasesItSoARetryNeedNotWait() {
        String xml = freshExample("iom-mission-return-reintegration-gbao");
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = seal("iom-mission", xml);
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("broker unavailable");
        });

        Exchange failed = submit(envelope, "iom-mission");

        assertThat(failed.getException()).isNotNull();
        assertThat(jdbc.queryForObject("SELECT lease_until FROM referral WHERE referral_id = ?", OffsetDateTime.class, referralId))
                .as("lease released").isBefore(OffsetDateTime.now().minusYears(1));
        sentTo(Flow.Endpoints.PROVIDER_QUEUE).reset();

        Exchange retried = submit(envelope, "iom-mission");

        assertThat(retried.getException()).isNull();
        assertThat(retried.getMessage().getBody()).isInstanceOf(Receipt.class);
        assertThat(copiesFor("reintegration-national")).hasSize(1);
    }

    private Map<String, Object> latestRejection() {
        return jdbc.queryForMap("SELECT referral_id, actor, detail FROM audit_event WHERE event_type = 'REJECTED' ORDER BY seq DESC LIMIT 1");
    }
}
