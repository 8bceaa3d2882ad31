package org.referralbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.deployers.impl.FileConfigurationParser;
import org.apache.activemq.artemis.utils.XMLUtil;
import org.junit.jupiter.api.Test;
import org.referralbus.broker.BrokerLayout.Grant;
import org.referralbus.broker.BrokerLayout.Permission;

class BrokerLayoutTest {

    /** The bus's rights on an address: everything but management. */
    private static final Set<Permission> BUS_RIGHTS = EnumSet.complementOf(EnumSet.of(Permission.MANAGE, Permission.EDIT));
    private static final String MOVE_FROM_DLQ = "mops.queue.DLQ.moveMessages";
    private static final String MOVE_FROM_REJECTED = "mops.queue.referrals.intake.rejected.moveMessages";

    private final BrokerLayout layout = new BrokerLayout(List.of("shelter-dushanbe"),
            new BrokerLayout.Redelivery("webhooks.dead", 6, Duration.ofSeconds(2), 2.0, Duration.ofMinutes(10)));

    @Test
    void aProviderMayOnlyConsumeAndBrowseItsOwnQueueAndTheBusKeepsItsRightsThere() {
        assertThat(layout.security().get("deliveries.shelter-dushanbe")).containsExactlyInAnyOrder(
                new Grant(BrokerLayout.BUS_ROLE, BUS_RIGHTS),
                new Grant("provider-shelter-dushanbe", Set.of(Permission.CONSUME, Permission.BROWSE)));
    }

    @Test
    void aProviderMayOnlySendToItsOwnAcknowledgementQueueWhichTheBusConsumes() {
        assertThat(layout.queues()).contains("acknowledgements.shelter-dushanbe", "rejected.acknowledgements");
        assertThat(layout.security().get("acknowledgements.shelter-dushanbe")).containsExactlyInAnyOrder(
                new Grant(BrokerLayout.BUS_ROLE, BUS_RIGHTS),
                new Grant("provider-shelter-dushanbe", Set.of(Permission.SEND)));
        assertThat(layout.security()).doesNotContainKey("rejected.acknowledgements");
        assertThat(layout.redelivery().get("acknowledgements.#").deadLetterAddress()).isEqualTo(BrokerLayout.DEAD_LETTER_ADDRESS);
    }

    @Test
    void anAgencyMayOnlySendToTheIntakeAndEverythingElseIsTheBussAlone() {
        assertThat(layout.security().get("referrals.intake")).contains(new Grant(BrokerLayout.AGENCY_ROLE, Set.of(Permission.SEND)));
        assertThat(layout.security().get("#")).extracting(Grant::role).containsExactly(BrokerLayout.BUS_ROLE);
        assertThat(layout.security().keySet()).containsExactlyInAnyOrder("#", "referrals.intake", "deliveries.shelter-dushanbe",
                "acknowledgements.shelter-dushanbe", "activemq.management", MOVE_FROM_DLQ, MOVE_FROM_REJECTED);
    }

    /** The bus asks the broker to move parked messages (only it reaches those on disk); no other management. */
    @Test
    void onlyTheBusMayManageTheBrokerAndOnlyToMoveParkedMessages() {
        Map<String, List<Grant>> security = layout.security();
        assertThat(security.get("activemq.management")).containsExactly(new Grant(BrokerLayout.BUS_ROLE, Set.of(Permission.MANAGE)));
        assertThat(security.get(MOVE_FROM_DLQ)).containsExactly(new Grant(BrokerLayout.BUS_ROLE, Set.of(Permission.EDIT)));
        assertThat(security.get(MOVE_FROM_REJECTED)).containsExactly(new Grant(BrokerLayout.BUS_ROLE, Set.of(Permission.EDIT)));
        security.forEach((match, grants) -> grants.forEach(grant -> {
            if (grant.permissions().contains(Permission.MANAGE)) {
                assertThat(match).as(grant.role() + " manages").isEqualTo("activemq.management");
            }
            if (grant.permissions().contains(Permission.EDIT)) {
                assertThat(match).as(grant.role() + " edits").isIn(MOVE_FROM_DLQ, MOVE_FROM_REJECTED);
            }
        }));
        assertThat(Permission.values()).extracting(Permission::artemisName).doesNotContain("view", "deleteDurableQueue", "deleteAddress");
    }

    @Test
    void theBusUserCannotBeAParticipantId() {
        assertThat(BrokerLayout.BUS_USER).contains(".");
    }

    @Test
    void standaloneFilesCarryTheSameLayout() {
        String xml = new StandaloneBrokerFiles(layout, 1_000_000, 4_194_304).brokerXml(new StandaloneBrokerFiles.Acceptor("127.0.0.1", 61616,
                java.nio.file.Path.of("tls.crt"), java.nio.file.Path.of("tls.key"), java.nio.file.Path.of("ca.crt")));
        assertThat(xml).contains("<security-setting match=\"deliveries.shelter-dushanbe\">",
                "<permission type=\"consume\" roles=\"referral-bus,provider-shelter-dushanbe\"/>",
                "<permission type=\"send\" roles=\"referral-bus,agency\"/>",
                "<security-setting match=\"acknowledgements.shelter-dushanbe\">",
                "<permission type=\"send\" roles=\"referral-bus,provider-shelter-dushanbe\"/>",
                "<address name=\"acknowledgements.shelter-dushanbe\">",
                "<max-delivery-attempts>6</max-delivery-attempts>", "saslMechanisms=EXTERNAL", "needClientAuth=true",
                "<journal-buffer-timeout>1000000</journal-buffer-timeout>",
                "<address-setting match=\"#\">\n        <max-size-bytes>4194304</max-size-bytes>\n        <address-full-policy>PAGE</address-full-policy>\n        <max-read-page-bytes>4194304</max-read-page-bytes>\n        <page-size-bytes>1048576</page-size-bytes>",
                "<management-message-rbac>true</management-message-rbac>",
                "<security-setting match=\"activemq.management\">\n        <permission type=\"manage\" roles=\"referral-bus\"/>\n      </security-setting>",
                "<security-setting match=\"" + MOVE_FROM_DLQ + "\">\n        <permission type=\"edit\" roles=\"referral-bus\"/>\n      </security-setting>")
                .as("the parking queues read back no more than any other").doesNotContain("<max-read-page-bytes>20971520");
    }

    /** Artemis's schema accepts the written broker.xml, and its parser reads it as the layout meant it. */
    @Test
    void artemisReadsTheStandaloneFileWithManagementCheckedPerOperation() throws Exception {
        String xml = new StandaloneBrokerFiles(layout, 1_000_000, 4_194_304).brokerXml(new StandaloneBrokerFiles.Acceptor("127.0.0.1", 61616,
                java.nio.file.Path.of("tls.crt"), java.nio.file.Path.of("tls.key"), java.nio.file.Path.of("ca.crt")));
        javax.xml.validation.SchemaFactory.newInstance(javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(XMLUtil.findResource("schema/artemis-server.xsd")).newValidator()
                .validate(new javax.xml.transform.stream.StreamSource(new java.io.StringReader(xml)));
        Configuration parsed = new FileConfigurationParser().parseMainConfig(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));

        assertThat(parsed.isManagementMessageRbac()).isTrue();
        assertThat(parsed.getManagementAddress().toString()).isEqualTo("activemq.management");
        assertThat(parsed.getManagementRbacPrefix()).isEqualTo("mops");
        assertThat(parsed.getSecurityRoles().get(MOVE_FROM_DLQ)).singleElement()
                .satisfies(role -> assertThat(role.getName()).isEqualTo(BrokerLayout.BUS_ROLE))
                .satisfies(role -> assertThat(role.isEdit()).isTrue())
                .satisfies(role -> assertThat(role.isManage() || role.isSend() || role.isView()).isFalse());
        assertThat(parsed.getSecurityRoles().get("#")).singleElement().satisfies(role -> assertThat(role.isEdit() || role.isManage()).isFalse());
        assertThat(parsed.getAddressSettings()).doesNotContainKey("DLQ");
    }

    @Test
    void aBrokerOfThePairReplicatesOverItsOwnAcceptorAndKeepsTheParticipantsAcceptorAsItWas() {
        StandaloneBrokerFiles.Acceptor acceptor = new StandaloneBrokerFiles.Acceptor("127.0.0.1", 61617,
                java.nio.file.Path.of("tls.crt"), java.nio.file.Path.of("tls.key"), java.nio.file.Path.of("ca.crt"));
        StandaloneBrokerFiles files = new StandaloneBrokerFiles(layout, 1_000_000, 4_194_304);
        String backup = files.brokerXml(acceptor, new Replication(Replication.Role.BACKUP, 61717, "127.0.0.1", 61716, "s3cret"));
        String single = files.brokerXml(acceptor);

        assertThat(backup).contains("<replication><backup><allow-failback>true</allow-failback></backup></replication>",
                "<cluster-user>referral-bus.cluster</cluster-user>", "<cluster-password>s3cret</cluster-password>",
                "<acceptor name=\"replication\">tcp://127.0.0.1:61717?protocols=CORE;sslEnabled=true",
                "<connector name=\"replication-peer\">tcp://127.0.0.1:61716?sslEnabled=true",
                "<static-connectors><connector-ref>replication-peer</connector-ref></static-connectors>",
                "<name>referral-bus-broker-backup</name>");
        assertThat(participantsAcceptor(backup)).isEqualTo(participantsAcceptor(single)).contains("needClientAuth=true");
        assertThat(single).as("a single broker is as before").doesNotContain("ha-policy", "cluster-password", "replication")
                .contains("<name>referral-bus-broker</name>");
        assertThat(files.brokerXml(acceptor, new Replication(Replication.Role.PRIMARY, 61716, "127.0.0.1", 61717, "s3cret")))
                .contains("<primary><check-for-active-server>true</check-for-active-server></primary>");
    }

    @Test
    void thePairSharesOneClusterPasswordFileThatOnlyItsOwnerMayRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("cluster.password");
        String first = Replication.clusterPassword(file);

        assertThat(first).hasSizeGreaterThanOrEqualTo(32);
        assertThat(Replication.clusterPassword(file)).isEqualTo(first);
        assertThat(java.nio.file.Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Replication.clusterPassword(dir.resolve("other"))).isNotEqualTo(first);
    }

    private static String participantsAcceptor(String xml) {
        int start = xml.indexOf("<acceptor name=\"participants\">");
        return xml.substring(start, xml.indexOf("</acceptor>", start));
    }
}
