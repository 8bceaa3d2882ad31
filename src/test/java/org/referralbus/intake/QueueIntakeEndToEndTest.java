package org.referralbus.intake;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.referralbus.core.Flow;
import org.referralbus.support.BrokerClients;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.RunningBus;
import org.referralbus.support.SampleKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * Envelopes an agency puts on the Artemis queue referrals.intake (over the broker's TLS acceptor, with its
 * certificate) go through the same pipeline; rejects are parked sealed.
 */
class QueueIntakeEndToEndTest extends RunningBus {

    @Autowired
    JmsTemplate jms;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void envelopeOnTheIntakeQueueIsRoutedWithTheSignerAsSender() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-return-reintegration-gbao"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = SampleKeys.agencySealer("iom-mission").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());

        agencyOnTheBroker("iom-mission").send("referrals.intake", session -> bytes(session, envelope));

        assertThat(ProviderInbox.overTls(BROKER_PORT).take("reintegration-national", referralId, 15_000)).singleElement()
                .satisfies(d -> assertThat(d.xml()).contains(referralId));
        assertThat(jdbc.queryForObject("SELECT state FROM referral WHERE sender = 'iom-mission' AND referral_id = ?",
                String.class, referralId)).isEqualTo("ROUTED");
    }

    /**
     * The same envelope put on the queue twice: the stored receipt answers the second, whose queue copies are handed
     * over again outside its broker transaction (the first's may have rolled back). The broker drops each by its
     * duplicate-detection id, so each provider has one copy, and nothing is refused, brought again or parked: inside
     * the transaction, a copy the broker holds already would have it refused whole.
     */
    @Test
    void theSameEnvelopeQueuedTwiceLeavesEachProviderOneCopy() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-return-reintegration-gbao"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = SampleKeys.agencySealer("iom-mission").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        JmsTemplate agency = agencyOnTheBroker("iom-mission");

        agency.send("referrals.intake", session -> bytes(session, envelope));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> validated(referralId) == 1 && "ROUTED".equals(
                jdbc.queryForObject("SELECT state FROM referral WHERE sender = 'iom-mission' AND referral_id = ?", String.class, referralId)));
        agency.send("referrals.intake", session -> bytes(session, envelope));
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> validated(referralId) >= 2);
        Thread.sleep(3_000); // the broker brings a refused message again after 1 s, then 2

        assertThat(validated(referralId)).as("each taken once, neither brought again").isEqualTo(2);
        assertThat(ProviderInbox.overTls(BROKER_PORT).take("reintegration-national", referralId, 5_000)).hasSize(1);
    }

    private int validated(String referralId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_event WHERE referral_id = ? AND event_type = 'VALIDATED'",
                Integer.class, referralId);
    }

    private static Message bytes(jakarta.jms.Session session, byte[] body) throws jakarta.jms.JMSException {
        var message = session.createBytesMessage();
        message.writeBytes(body);
        return message;
    }

    @Test
    void rejectedEnvelopeIsParkedStillSealedWithItsErrorCode() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.fixture("invalid/two-errors.xml"));
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());

        agencyOnTheBroker("border-service").send("referrals.intake", session -> bytes(session, envelope));

        // Parked envelopes are the bus's (and its operator's) to read: no participant may consume them.
        // Other classes sharing this bus park envelopes too: take this one by its bytes.
        jms.setReceiveTimeout(15_000);
        Message parked;
        do {
            parked = jms.receive("referrals.intake.rejected");
        } while (parked != null && !java.util.Arrays.equals(parked.getBody(byte[].class), envelope));
        assertThat(parked).as("this envelope parked").isNotNull();
        assertThat(parked.getStringProperty(Flow.Headers.ERROR_CODE)).isEqualTo("schema_violation");
        byte[] body = parked.getBody(byte[].class);
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).doesNotContain("agencyId");
    }

    private static JmsTemplate agencyOnTheBroker(String id) {
        return new JmsTemplate(BrokerClients.as(BROKER_PORT, "agencies", id));
    }
}
