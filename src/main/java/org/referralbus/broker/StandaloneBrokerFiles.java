package org.referralbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.referralbus.broker.BrokerLayout.Grant;
import org.referralbus.broker.BrokerLayout.Redelivery;
import org.referralbus.core.OwnerOnlyFiles;

/**
 * Writes a {@link BrokerLayout} as the configuration of a standalone Artemis ({@code deploy/artemis.sh create}
 * installs it): {@code broker.xml} with the TLS acceptor, queues, redelivery, duplicate-ID cache and rights, and the
 * JAAS certificate login ({@code login.config}, {@code cert-users.properties} mapping each registered certificate's
 * subject to its participant, {@code cert-roles.properties} giving each participant its role).
 *
 * <p>Artemis's certificate login matches the subject name of a certificate that chains to the trust anchors; it does
 * not compare keys as the bus does for its own acceptor (see docs/operators.md, "The broker").
 */
public final class StandaloneBrokerFiles {

    /** The standalone acceptor's TLS identity and trust, as paths the broker reads. */
    public record Acceptor(String host, int port, Path certificate, Path privateKey, Path trustAnchors) {
    }

    private final BrokerLayout layout;
    private final int journalBufferTimeoutNanos;
    private final long memoryPerQueueBytes;

    /**
     * @param journalBufferTimeoutNanos {@code referral-bus.broker.journal-buffer-timeout}, as the embedded broker uses it
     * @param memoryPerQueueBytes       {@code referral-bus.broker.memory-per-queue}, as the embedded broker uses it
     */
    public StandaloneBrokerFiles(BrokerLayout layout, int journalBufferTimeoutNanos, long memoryPerQueueBytes) {
        this.layout = layout;
        this.journalBufferTimeoutNanos = journalBufferTimeoutNanos;
        this.memoryPerQueueBytes = memoryPerQueueBytes;
    }

    /**
     * @param agencies  certificate of each listed agency, by id
     * @param providers certificate of each provider with a queue, by id
     * @param bus       the certificate the bus connects with
     * @return the files written
     */
    public List<Path> write(Path directory, Acceptor acceptor, Map<String, X509Certificate> agencies,
                            Map<String, X509Certificate> providers, X509Certificate bus) {
        return write(directory, acceptor, null, agencies, providers, bus);
    }

    /**
     * As {@link #write(Path, Acceptor, Map, Map, X509Certificate)}, for one broker of a replicating pair when
     * {@code replication} is given; {@code broker.xml} then holds the cluster password and is written owner-only.
     */
    public List<Path> write(Path directory, Acceptor acceptor, Replication replication, Map<String, X509Certificate> agencies,
                            Map<String, X509Certificate> providers, X509Certificate bus) {
        Map<String, X509Certificate> users = new LinkedHashMap<>();
        users.put(BrokerLayout.BUS_USER, bus);
        users.putAll(agencies);
        users.putAll(providers);
        Map<String, List<String>> roles = new LinkedHashMap<>();
        roles.put(BrokerLayout.BUS_ROLE, List.of(BrokerLayout.BUS_USER));
        roles.put(BrokerLayout.AGENCY_ROLE, List.copyOf(agencies.keySet()));
        providers.keySet().forEach(id -> roles.put(BrokerLayout.providerRole(id), List.of(id)));
        try {
            Files.createDirectories(directory);
            List<Path> written = new ArrayList<>();
            Path brokerXml = directory.resolve("broker.xml");
            Files.deleteIfExists(brokerXml);
            if (replication != null) {
                OwnerOnlyFiles.create(brokerXml);
            }
            written.add(write(brokerXml, brokerXml(acceptor, replication)));
            written.add(write(directory.resolve("login.config"), LOGIN_CONFIG));
            written.add(write(directory.resolve("acceptor.pemcfg"), acceptorKeyStore(acceptor)));
            written.add(write(directory.resolve("cert-users.properties"), "# participant id = certificate subject (written by broker-config)\n"
                    + users.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().getSubjectX500Principal())
                    .collect(Collectors.joining("\n")) + "\n"));
            written.add(write(directory.resolve("cert-roles.properties"), "# role = participant ids (written by broker-config)\n"
                    + roles.entrySet().stream().map(e -> e.getKey() + "=" + String.join(",", e.getValue()))
                    .collect(Collectors.joining("\n")) + "\n"));
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the broker configuration to " + directory, e);
        }
    }

    private static final String LOGIN_CONFIG = """
            // Certificate login only (written by referral-bus.jar broker-config): the TLS client certificate's subject
            // must be listed in cert-users.properties; roles come from cert-roles.properties.
            activemq {
               org.apache.activemq.artemis.spi.core.security.jaas.TextFileCertificateLoginModule required
                   debug=false
                   reload=true
                   org.apache.activemq.jaas.textfiledn.user="cert-users.properties"
                   org.apache.activemq.jaas.textfiledn.role="cert-roles.properties";
            };
            """;

    String brokerXml(Acceptor acceptor) {
        return brokerXml(acceptor, null);
    }

    String brokerXml(Acceptor acceptor, Replication replication) {
        StringBuilder xml = new StringBuilder();
        xml.append("""
                <?xml version="1.0"?>
                <!-- Written by referral-bus.jar broker-config from org.referralbus.broker.BrokerLayout: change the layout, not this file. -->
                <configuration xmlns="urn:activemq" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                               xsi:schemaLocation="urn:activemq /schema/artemis-configuration.xsd">
                  <core xmlns="urn:activemq:core">
                    <name>@NAME@</name>
                    <persistence-enabled>true</persistence-enabled>
                    <journal-type>NIO</journal-type>
                    <journal-pool-files>10</journal-pool-files>
                    <paging-directory>data/paging</paging-directory>
                    <bindings-directory>data/bindings</bindings-directory>
                    <journal-directory>data/journal</journal-directory>
                    <large-messages-directory>data/large-messages</large-messages-directory>
                    <journal-sync-transactional>true</journal-sync-transactional>
                    <journal-sync-non-transactional>true</journal-sync-non-transactional>
                    <journal-buffer-timeout>@BUFFER_TIMEOUT@</journal-buffer-timeout>
                """);
        int timeout = xml.indexOf("@BUFFER_TIMEOUT@");
        xml.replace(timeout, timeout + "@BUFFER_TIMEOUT@".length(), Integer.toString(journalBufferTimeoutNanos));
        int name = xml.indexOf("@NAME@");
        xml.replace(name, name + "@NAME@".length(), replication == null ? "referral-bus-broker"
                : "referral-bus-broker-" + replication.role().name().toLowerCase(java.util.Locale.ROOT));
        if (replication != null) {
            xml.append(replication.brokerXml(acceptor.host(), acceptor.trustAnchors()));
        }
        xml.append("    <id-cache-size>").append(BrokerLayout.DUPLICATE_ID_CACHE_SIZE).append("</id-cache-size>\n");
        xml.append("""
                    <persist-id-cache>true</persist-id-cache>
                    <security-enabled>true</security-enabled>
                    <populate-validated-user>true</populate-validated-user>
                    <authentication-cache-size>0</authentication-cache-size>
                    <authorization-cache-size>0</authorization-cache-size>
                    <management-notification-address>activemq.notifications</management-notification-address>
                """);
        // How often the broker looks at its files: broker.xml, and the acceptor's TLS files (sslAutoReload).
        xml.append("    <configuration-file-refresh-period>").append(BrokerLayout.TLS_FILES_LOOKED_AT_EVERY_MS)
                .append("</configuration-file-refresh-period>\n");
        // Management requests are checked per operation and resource: the bus may move parked messages, nothing else.
        xml.append("    <management-address>").append(BrokerLayout.MANAGEMENT_ADDRESS).append("</management-address>\n")
                .append("    <management-message-rbac>true</management-message-rbac>\n")
                .append("    <management-rbac-prefix>").append(BrokerLayout.MANAGEMENT_RBAC_PREFIX).append("</management-rbac-prefix>\n")
                .append("    <acceptors>\n");
        String uri = "tcp://" + acceptor.host() + ":" + acceptor.port() + "?protocols=" + BrokerLayout.PROTOCOLS + ";"
                + BrokerLayout.tlsAcceptorParameters("PEMCFG", "${artemis.instance}/etc/acceptor.pemcfg",
                acceptor.trustAnchors().toAbsolutePath().toString());
        xml.append("      <acceptor name=\"participants\">").append(escape(uri)).append("</acceptor>\n");
        if (replication != null) {
            xml.append(replication.acceptor(acceptor.host()));
        }
        xml.append("    </acceptors>\n    <security-settings>\n");
        for (Map.Entry<String, List<Grant>> entry : layout.security().entrySet()) {
            xml.append("      <security-setting match=\"").append(escape(entry.getKey())).append("\">\n");
            for (BrokerLayout.Permission permission : BrokerLayout.Permission.values()) {
                List<String> roles = entry.getValue().stream().filter(g -> g.permissions().contains(permission)).map(Grant::role).toList();
                if (!roles.isEmpty()) {
                    xml.append("        <permission type=\"").append(permission.artemisName()).append("\" roles=\"")
                            .append(escape(String.join(",", roles))).append("\"/>\n");
                }
            }
            xml.append("      </security-setting>\n");
        }
        xml.append("    </security-settings>\n    <address-settings>\n");
        // Every address pages to disk beyond its share of memory, and reads no more than that back (Artemis's
        // max-read-page-bytes, 20 MB per queue unless set); Artemis merges this into the matches below.
        xml.append("      <address-setting match=\"").append(escape(BrokerLayout.EVERY_ADDRESS)).append("\">\n")
                .append("        <max-size-bytes>").append(memoryPerQueueBytes).append("</max-size-bytes>\n")
                .append("        <address-full-policy>PAGE</address-full-policy>\n")
                .append("        <max-read-page-bytes>").append(BrokerLayout.readAhead(memoryPerQueueBytes)).append("</max-read-page-bytes>\n")
                .append("        <page-size-bytes>").append(BrokerLayout.pageSize(memoryPerQueueBytes)).append("</page-size-bytes>\n")
                .append("      </address-setting>\n");
        for (Map.Entry<String, Redelivery> entry : layout.redelivery().entrySet()) {
            Redelivery r = entry.getValue();
            xml.append("      <address-setting match=\"").append(escape(entry.getKey())).append("\">\n")
                    .append("        <dead-letter-address>").append(escape(r.deadLetterAddress())).append("</dead-letter-address>\n")
                    .append("        <auto-create-dead-letter-resources>false</auto-create-dead-letter-resources>\n")
                    .append("        <redelivery-delay>").append(r.initialDelay().toMillis()).append("</redelivery-delay>\n")
                    .append("        <redelivery-delay-multiplier>").append(r.multiplier()).append("</redelivery-delay-multiplier>\n")
                    .append("        <max-redelivery-delay>").append(r.maxDelay().toMillis()).append("</max-redelivery-delay>\n")
                    .append("        <max-delivery-attempts>").append(r.maxAttempts()).append("</max-delivery-attempts>\n")
                    .append("      </address-setting>\n");
        }
        xml.append("    </address-settings>\n    <addresses>\n");
        for (String queue : layout.queues()) {
            xml.append("      <address name=\"").append(escape(queue)).append("\"><anycast><queue name=\"").append(escape(queue))
                    .append("\"/></anycast></address>\n");
        }
        xml.append("    </addresses>\n  </core>\n</configuration>\n");
        return xml.toString();
    }

    /** The PEMCFG file naming the acceptor's PEM certificate and key, for {@code etc/acceptor.pemcfg}. */
    static String acceptorKeyStore(Acceptor acceptor) {
        return "alias=broker\nsource.key=" + acceptor.privateKey().toAbsolutePath() + "\nsource.cert="
                + acceptor.certificate().toAbsolutePath() + "\n";
    }

    private static Path write(Path file, String content) throws IOException {
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
