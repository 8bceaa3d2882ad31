package org.referralbus.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A replicating live/backup pair of the standalone Artemis, made as {@code deploy/local-cluster.sh} makes it
 * ({@code broker-config --ha primary|backup}, one instance each), on free ports: returns once the primary is active
 * and the backup is in sync with it. The backup opens its participants' acceptor only when it takes over.
 */
public final class ArtemisPair implements AutoCloseable {

    /** Artemis's "Backup server is synchronized with the primary". */
    public static final String BACKUP_IN_SYNC = "AMQ221024";

    private final StandaloneArtemis primary;
    private final StandaloneArtemis backup;

    private ArtemisPair(StandaloneArtemis primary, StandaloneArtemis backup) {
        this.primary = primary;
        this.backup = backup;
    }

    public static ArtemisPair start(Path workDir) {
        int primaryReplication = LocalMachine.freePort();
        int backupReplication = LocalMachine.freePort();
        String password = workDir.resolve("cluster.password").toString();
        StandaloneArtemis primary = StandaloneArtemis.start(workDir.resolve("primary"), LocalMachine.freePort(), StandaloneArtemis.ACTIVE,
                "--ha", "primary", "--ha-port", Integer.toString(primaryReplication), "--ha-peer", "127.0.0.1:" + backupReplication,
                "--ha-password-file", password);
        try {
            return new ArtemisPair(primary, StandaloneArtemis.start(workDir.resolve("backup"), LocalMachine.freePort(), BACKUP_IN_SYNC,
                    "--ha", "backup", "--ha-port", Integer.toString(backupReplication), "--ha-peer", "127.0.0.1:" + primaryReplication,
                    "--ha-password-file", password));
        } catch (RuntimeException e) {
            primary.close();
            throw e;
        }
    }

    public StandaloneArtemis primary() {
        return primary;
    }

    public StandaloneArtemis backup() {
        return backup;
    }

    /**
     * The bus's {@code spring.artemis.broker-url} for the pair, as deploy/local-cluster.sh sets it: both participants'
     * acceptors with the bus's own certificate (here the sample one, written to {@code busKeyStore}; the script reads the
     * bus's PKCS#12 keystore); a connection lost to the live broker is retried briefly, then the client moves down the
     * list to the backup.
     */
    public String busBrokerUrl(Path busKeyStore) throws java.io.IOException {
        Files.writeString(busKeyStore, "alias=bus\nsource.key=" + SampleKeys.ROOT.resolve("bus/bus.key").toAbsolutePath()
                + "\nsource.cert=" + SampleKeys.ROOT.resolve("bus/bus.crt").toAbsolutePath() + "\n", StandardCharsets.UTF_8);
        String tls = "sslEnabled=true;keyStoreType=PEMCFG;keyStorePath=" + busKeyStore + ";trustStoreType=PEM;trustStorePath="
                + SampleKeys.ROOT.resolve("ca.crt").toAbsolutePath();
        return "(" + String.join(",", List.of("tcp://127.0.0.1:" + primary.port() + "?" + tls, "tcp://127.0.0.1:" + backup.port() + "?" + tls))
                + ")?ha=false;useTopologyForLoadBalancing=false;reconnectAttempts=3;retryInterval=500;initialConnectAttempts=3";
    }

    @Override
    public void close() {
        backup.close();
        primary.close();
    }
}
