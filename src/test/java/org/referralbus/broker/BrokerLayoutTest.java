package org.referralbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.referralbus.broker.BrokerLayout.Grant;
import org.referralbus.broker.BrokerLayout.Permission;

class BrokerLayoutTest {

    private final BrokerLayout layout = new BrokerLayout(List.of("shelter-dushanbe"),
            new BrokerLayout.Redelivery("webhooks.dead", 6, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(10)));

    @Test
    void aProviderMayOnlyConsumeAndBrowseItsOwnQueueAndTheBusKeepsItsRightsThere() {
        assertThat(layout.security().get("deliveries.shelter-dushanbe")).containsExactlyInAnyOrder(
                new Grant(BrokerLayout.BUS_ROLE, Set.of(Permission.values())),
                new Grant("provider-shelter-dushanbe", Set.of(Permission.CONSUME, Permission.BROWSE)));
    }

    @Test
    void aProviderMayOnlySendToItsOwnAcknowledgementQueueWhichTheBusConsumes() {
        assertThat(layout.queues()).contains("acknowledgements.shelter-dushanbe", "rejected.acknowledgements");
        assertThat(layout.security().get("acknowledgements.shelter-dushanbe")).containsExactlyInAnyOrder(
                new Grant(BrokerLayout.BUS_ROLE, Set.of(Permission.values())),
                new Grant("provider-shelter-dushanbe", Set.of(Permission.SEND)));
        assertThat(layout.security()).doesNotContainKey("rejected.acknowledgements");
        assertThat(layout.redelivery().get("acknowledgements.#").deadLetterAddress()).isEqualTo(BrokerLayout.DEAD_LETTER_ADDRESS);
    }

    @Test
    void anAgencyMayOnlySendToTheIntakeAndEverythingElseIsTheBussAlone() {
        assertThat(layout.security().get("referrals.intake")).contains(new Grant(BrokerLayout.AGENCY_ROLE, Set.of(Permission.SEND)));
        assertThat(layout.security().get("#")).extracting(Grant::role).containsExactly(BrokerLayout.BUS_ROLE);
        assertThat(layout.security().keySet()).containsExactlyInAnyOrder("#", "referrals.intake", "deliveries.shelter-dushanbe",
                "acknowledgements.shelter-dushanbe");
    }

    @Test
    void nobodyMayManageTheBrokerThroughMessages() {
        assertThat(Permission.values()).extracting(Permission::artemisName).doesNotContain("manage", "deleteDurableQueue", "deleteAddress");
    }

    @Test
    void theBusUserCannotBeAParticipantId() {
        assertThat(BrokerLayout.BUS_USER).contains(".");
    }

    @Test
    void standaloneFilesCarryTheSameLayout() {
        String xml = new StandaloneBrokerFiles(layout).brokerXml(new StandaloneBrokerFiles.Acceptor("127.0.0.1", 61616,
                java.nio.file.Path.of("tls.crt"), java.nio.file.Path.of("tls.key"), java.nio.file.Path.of("ca.crt")));
        assertThat(xml).contains("<security-setting match=\"deliveries.shelter-dushanbe\">",
                "<permission type=\"consume\" roles=\"referral-bus,provider-shelter-dushanbe\"/>",
                "<permission type=\"send\" roles=\"referral-bus,agency\"/>",
                "<security-setting match=\"acknowledgements.shelter-dushanbe\">",
                "<permission type=\"send\" roles=\"referral-bus,provider-shelter-dushanbe\"/>",
                "<address name=\"acknowledgements.shelter-dushanbe\">",
                "<max-delivery-attempts>6</max-delivery-attempts>", "saslMechanisms=EXTERNAL", "needClientAuth=true")
                .doesNotContain("type=\"manage\"");
    }
}
