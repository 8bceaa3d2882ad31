package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.envelope.EnvelopeOpener;
import org.referralbus.envelope.OpenedEnvelope;
import org.referralbus.routing.Assignment;
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

/** The dispatch-delivery route is idempotent: running it twice for one copy leaves one message on the queue. */
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

    @Test
    void redispatchingTheSameCopyNeverCreatesASecondDelivery() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-return-reintegration-gbao"));
        OpenedEnvelope opened = opener.open(SampleKeys.agencySealer("iom-mission")
                .seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate()));
        Referral referral = reader.read(opened.content());
        Assignment assignment = rules.decide(referral).assignments().get(0);
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
}
