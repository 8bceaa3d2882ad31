package org.referralbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.BrokerClients;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ProviderInbox;
import org.referralbus.support.ReferralExamples;
import org.referralbus.support.SampleKeys;
import org.referralbus.support.StandaloneArtemis;
import org.referralbus.support.StandaloneBus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

/**
 * The bus on the standalone broker, connecting with its own certificate as docs/operators.md ("The broker") sets it
 * up: a referral submitted over HTTPS reaches the provider's queue there, and one an agency puts on the standalone
 * broker's intake queue is processed with the agency the broker authenticated as its sender.
 */
class StandaloneBrokerFlowEndToEndTest {

    @TempDir
    static Path work;
    static StandaloneArtemis broker;
    static StandaloneBus bus;

    @BeforeAll
    static void start() throws Exception {
        broker = StandaloneArtemis.start(work.resolve("broker"));
        Path busKeyStore = work.resolve("bus-broker.pemcfg");
        Files.writeString(busKeyStore, "alias=bus\nsource.key=" + SampleKeys.ROOT.resolve("bus/bus.key").toAbsolutePath()
                + "\nsource.cert=" + SampleKeys.ROOT.resolve("bus/bus.crt").toAbsolutePath() + "\n");
        bus = StandaloneBus.start(work.resolve("bus"),
                "--spring.artemis.mode=native",
                "--spring.artemis.embedded.enabled=false",
                "--spring.artemis.broker-url=tcp://localhost:" + broker.port() + "?sslEnabled=true;keyStoreType=PEMCFG;keyStorePath="
                        + busKeyStore + ";trustStoreType=PEM;trustStorePath=" + SampleKeys.ROOT.resolve("ca.crt").toAbsolutePath());
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aReferralSubmittedOverHttpsReachesTheProviderOnTheStandaloneBroker() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("border-service-adult-woman-shelter-dushanbe"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = SampleKeys.agencySealer("border-service").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());
        MutualTlsClient agency = MutualTlsClient.as(bus.baseUrl(), SampleKeys.certificate("agencies", "border-service"),
                SampleKeys.key("agencies", "border-service"));

        assertThat(agency.post("/api/v1/referrals", envelope, "application/pkcs7-mime").statusCode()).isEqualTo(202);

        assertThat(ProviderInbox.overTls(broker.port()).take("shelter-dushanbe", referralId, 20_000)).singleElement()
                .satisfies(copy -> assertThat(copy.xml()).contains(referralId));
    }

    @Test
    void anEnvelopeOnTheStandaloneIntakeHasTheAuthenticatedAgencyAsSender() throws Exception {
        String xml = ReferralExamples.withFreshId(ReferralExamples.example("iom-mission-return-reintegration-gbao"));
        String referralId = ReferralExamples.referralId(xml);
        byte[] envelope = SampleKeys.agencySealer("iom-mission").seal(xml.getBytes(StandardCharsets.UTF_8), SampleKeys.busCertificate());

        new JmsTemplate(BrokerClients.as(broker.port(), "agencies", "iom-mission")).send("referrals.intake", session -> {
            var message = session.createBytesMessage();
            message.writeBytes(envelope);
            message.setStringProperty("referralBusTlsClient", "border-service");
            return message;
        });

        assertThat(ProviderInbox.overTls(broker.port()).take("reintegration-national", referralId, 30_000)).hasSize(1);
        assertThat(bus.bean(JdbcTemplate.class).queryForObject("SELECT sender FROM referral WHERE referral_id = ?", String.class,
                referralId)).isEqualTo("iom-mission");
    }
}
