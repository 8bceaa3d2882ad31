package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.routing.Assignment;
import org.referralbus.routing.RoutingDecision;
import org.referralbus.routing.RoutingContext;
import org.referralbus.routing.RoutingRules;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.referralbus.validation.Referral;
import org.referralbus.validation.ReferralReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * The dispatch-delivery route is idempotent: running it twice for one copy leaves one message on the queue; and a new
 * referral's copies, stored together before any is sent, are reused by a retry.
 */
class DispatchDeliveryRouteTest extends RunningBus {

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate template;
    @Autowired
    EnvelopeOpener opener;
    @Autowired
    ReferralReader reader;
    @Autowired
    RoutingRules rules;
    @Autowired
    JmsTemplate jms;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DeliveryDispatcher dispatcher;

    @Test
    void redispatchingTheSameCopyNeverCreatesASecondDelivery() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-return-reintegration-gbao"));
        OpenedEnvelope opened = opener.open(SampleKeys.agencySealer("iom-mission")
                .seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()));
        Referral referral = reader.read(opened.content());
        Assignment assignment = rules.decide(referral, RoutingContext.FIRST).assignments().get(0);
        NotifyBuilder twoRuns = new NotifyBuilder(camel).fromRoute("dispatch-delivery").whenCompleted(2).create();

        for (int attempt = 0; attempt < 2; attempt++) {
            template.send(Flow.Endpoints.DISPATCH_DELIVERY, exchange -> {
                exchange.setProperty(Flow.Properties.REFERRAL, referral);
                exchange.setProperty(Flow.Properties.OPENED, opened);
                exchange.getIn().setBody(assignment);
            });
        }

        assertThat(twoRuns.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new ProviderInbox(jms).take(assignment.provider().id(), referral.referralId(), 5_000)).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE referral_id = ? AND event_type = 'DELIVERED'",
                Integer.class, referral.referralId())).isEqualTo(1);
    }

    @Test
    void aRetryOfANewReferralReusesTheCopiesStoredTogether() {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-minor-khatlon"));
        OpenedEnvelope opened = opener.open(SampleKeys.agencySealer("iom-mission")
                .seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()));
        Referral referral = reader.read(opened.content());
        RoutingDecision decision = rules.decide(referral, RoutingContext.FIRST);

        Map<String, SealedCopy> first = dispatcher.prepareAll(decision, referral, opened, null);
        Map<String, SealedCopy> retry = dispatcher.prepareAll(decision, referral, opened, null);

        assertThat(first).hasSize(decision.assignments().size()).hasSizeGreaterThan(1);
        assertThat(retry.keySet()).containsExactlyElementsOf(first.keySet());
        first.forEach((deliveryId, copy) -> assertThat(retry.get(deliveryId).sealed()).as(deliveryId).isEqualTo(copy.sealed()));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM delivery WHERE referral_id = ?", Integer.class, referral.referralId()))
                .isEqualTo(first.size());
        Assignment one = decision.assignments().get(0);
        assertThat(dispatcher.prepare(one, referral, opened, null, first)).as("handed out, not sealed again")
                .isSameAs(first.get(DeliveryDispatcher.deliveryId(referral, org.referralbus.core.ReferralContentSha256.of(opened.content()), one)));
    }
}
