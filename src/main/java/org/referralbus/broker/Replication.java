package org.referralbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.referralbus.core.OwnerOnlyFiles;

/**
 * One broker of a replicating live/backup pair (Artemis {@code ha-policy} replication): the primary serves clients
 * and copies every journal write to the backup before it answers; the backup serves nobody until the primary is
 * gone, then takes over with the same messages, duplicate-ID cache and rights. When the primary comes back it takes
 * its place again (fail-back) once it has caught up.
 *
 * <p>Implementation note: replication runs over its own acceptor ({@code replication}, CORE over TLS, server
 * certificate only), not the participants' acceptor, because the brokers authenticate each other with the cluster
 * user and password, not with a participant certificate. Only the two brokers know that password
 * ({@code --ha-password-file}, mode 0600); keep the replication port off any network participants can reach. Clients
 * never use this acceptor: they list both participants' acceptors and switch themselves
 * (docs/operators.md, "A local cluster").
 *
 * @param role            primary (live) or backup
 * @param port            this broker's replication acceptor, on the participants' acceptor host
 * @param peerHost        the other broker's replication acceptor host
 * @param peerPort        the other broker's replication acceptor port
 * @param clusterPassword shared by the two brokers and nobody else
 */
public record Replication(Role role, int port, String peerHost, int peerPort, String clusterPassword) {

    /** The user the two brokers log in to each other with; the dot keeps it apart from every participant id. */
    public static final String CLUSTER_USER = "referral-bus.cluster";

    public enum Role {
        PRIMARY, BACKUP
    }

    /** The {@code <core>} elements that make a broker half of the pair: acceptor, connectors, cluster connection, policy. */
    String brokerXml(String host, Path trustAnchors) {
        String trust = "sslEnabled=true;trustStoreType=PEM;trustStorePath=" + trustAnchors.toAbsolutePath();
        String policy = role == Role.PRIMARY
                // check-for-active-server: a restarted primary first asks whether the backup took over, and if so
                // syncs from it and takes back its place, instead of serving stale messages next to it.
                ? "<primary><check-for-active-server>true</check-for-active-server></primary>"
                : "<backup><allow-failback>true</allow-failback></backup>";
        return String.join("\n", List.of(
                "    <cluster-user>" + CLUSTER_USER + "</cluster-user>",
                "    <cluster-password>" + escape(clusterPassword) + "</cluster-password>",
                "    <ha-policy><replication>" + policy + "</replication></ha-policy>",
                "    <connectors>",
                "      <connector name=\"replication\">" + escape("tcp://" + host + ":" + port + "?" + trust) + "</connector>",
                "      <connector name=\"replication-peer\">" + escape("tcp://" + peerHost + ":" + peerPort + "?" + trust) + "</connector>",
                "    </connectors>",
                "    <cluster-connections>",
                "      <cluster-connection name=\"referral-bus-pair\">",
                "        <connector-ref>replication</connector-ref>",
                "        <retry-interval>500</retry-interval>",
                "        <reconnect-attempts>-1</reconnect-attempts>",
                "        <use-duplicate-detection>true</use-duplicate-detection>",
                "        <message-load-balancing>OFF</message-load-balancing>",
                "        <max-hops>1</max-hops>",
                "        <static-connectors><connector-ref>replication-peer</connector-ref></static-connectors>",
                "      </cluster-connection>",
                "    </cluster-connections>", ""));
    }

    /** The replication acceptor: CORE only, TLS with the broker's own certificate, cluster password login. */
    String acceptor(String host) {
        return "      <acceptor name=\"replication\">" + escape("tcp://" + host + ":" + port + "?protocols=CORE;sslEnabled=true"
                + ";keyStoreType=PEMCFG;keyStorePath=${artemis.instance}/etc/acceptor.pemcfg;enabledProtocols=TLSv1.3,TLSv1.2")
                + "</acceptor>\n";
    }

    /**
     * The pair's cluster password from {@code file}, which holds nothing else; a fresh random one (owner-only file)
     * when the file does not exist yet, so the primary's and the backup's {@code broker-config} share it.
     */
    public static String clusterPassword(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[24];
                new SecureRandom().nextBytes(random);
                OwnerOnlyFiles.create(file);
                Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n", StandardCharsets.UTF_8);
            }
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new IllegalArgumentException("The cluster password file " + file + " is empty");
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the cluster password file " + file, e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
