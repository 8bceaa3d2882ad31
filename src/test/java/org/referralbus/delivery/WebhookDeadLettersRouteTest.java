package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.support.AdvisedRoutes;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;

/** The webhook-dead-letters route: the needs of a copy the broker gave up pushing are re-routed to the coordinator. */
class WebhookDeadLettersRouteTest extends AdvisedRoutes {

    @Test
    void deadLetteredCopyIsAuditedAndItsNeedsAreReroutedToTheCoordinator() {
        String referralId = submitted();
        Exchange copy = copiesFor("medical-dushanbe").get(0);
        MockEndpoint.resetMocks(camel);
        NotifyBuilder rerouted = new NotifyBuilder(camel).fromRoute("webhook-dead-letters").wereSentTo(Flow.Endpoints.REROUTE)
                .whenCompleted(1).create();

        Exchange done = template.send(WEBHOOK_DEAD_LETTERS, asDeadLetter(copy));

        assertThat(done.getException()).isNull();
        assertThat(rerouted.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(passed("reroute-dead-letter").getReceivedCounter()).isEqualTo(1);
        assertThat(passed("hand-to-coordinator").getReceivedCounter()).isEqualTo(1);
        assertThat(copiesFor("coordinator")).singleElement().satisfies(c -> {
            assertThat(c.getMessage().getHeader(Flow.Headers.SERVICES)).isEqualTo("MEDICAL");
            assertThat(new String(ProviderInbox.open("coordinator", c.getMessage().getBody(byte[].class)).content(),
                    StandardCharsets.UTF_8)).contains("WEBHOOK_FAILED:medical-dushanbe");
        });
        assertThat(auditRows(referralId, "DEAD_LETTERED")).isEqualTo(1);
        assertThat(auditRows(referralId, "REROUTED")).isEqualTo(1);
    }

    @Test
    void aDeadLetterSeenAgainReroutesNothing() {
        String referralId = submitted();
        Exchange copy = copiesFor("medical-dushanbe").get(0);
        template.send(WEBHOOK_DEAD_LETTERS, asDeadLetter(copy));
        MockEndpoint.resetMocks(camel);

        Exchange again = template.send(WEBHOOK_DEAD_LETTERS, asDeadLetter(copy));

        assertThat(again.getException()).isNull();
        assertThat(passed("escalate-dead-letter").getReceivedCounter()).isEqualTo(1);
        assertThat(passed("reroute-dead-letter").getReceivedCounter()).isZero();
        assertThat(copiesFor("coordinator")).isEmpty();
        assertThat(auditRows(referralId, "DEAD_LETTERED")).isEqualTo(1);
    }

    /**
     * A referral whose MEDICAL need went to medical-dushanbe (a QUEUE provider here: the ledger is told it was a webhook
     * push, and the dead letter is simulated).
     */
    private String submitted() {
        String xml = freshExample("border-service-adult-woman-shelter-dushanbe");
        assertThat(submit(seal("border-service", xml), "border-service").getException()).isNull();
        String referralId = ReferralExamples.referralId(xml);
        jdbc.update("UPDATE delivery SET channel = 'WEBHOOK' WHERE referral_id = ? AND provider_id = 'medical-dushanbe'", referralId);
        return referralId;
    }

    /** A dead letter for a copy that was never a webhook push (a forged one, say) escalates nothing. */
    @Test
    void aDeadLetterForAQueueDeliveryEscalatesNothing() {
        String xml = freshExample("border-service-adult-woman-shelter-dushanbe");
        assertThat(submit(seal("border-service", xml), "border-service").getException()).isNull();
        Exchange copy = copiesFor("shelter-dushanbe").get(0);
        MockEndpoint.resetMocks(camel);

        Exchange forged = template.send(WEBHOOK_DEAD_LETTERS, asDeadLetter(copy));

        assertThat(forged.getException()).isNull();
        assertThat(passed("reroute-dead-letter").getReceivedCounter()).isZero();
        assertThat(auditRows(ReferralExamples.referralId(xml), "DEAD_LETTERED")).isZero();
    }

    private static org.apache.camel.Processor asDeadLetter(Exchange copy) {
        return exchange -> {
            exchange.getIn().setHeaders(new HashMap<>(copy.getMessage().getHeaders()));
            // Whom a dead letter escalates comes from the delivery ledger, never from the message.
            exchange.getIn().setHeader(Flow.Headers.PROVIDER_ID, "evil");
            exchange.getIn().setBody(copy.getMessage().getBody(byte[].class));
        };
    }
}
