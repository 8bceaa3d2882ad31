package org.referralbus.system;

import static org.referralbus.support.LocalMachine.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.CuttableTcpProxy;
import org.referralbus.support.MutualTlsClient;
import org.referralbus.support.ScratchPostgresDatabase;
import org.referralbus.support.StandaloneBus;

/**
 * Readiness over real connections: a bus on PostgreSQL and on a broker of its own, each reached through a TCP proxy
 * the test cuts. While either is unreachable {@code /actuator/health/readiness} answers 503 (liveness stays 200: the
 * process is fine, do not restart it); once it is back, readiness is 200 again without anyone touching the bus.
 */
class ReadinessEndToEndTest {

    @TempDir
    static Path dir;
    static ScratchPostgresDatabase database;
    static EmbeddedActiveMQ broker;
    static CuttableTcpProxy databaseProxy;
    static CuttableTcpProxy brokerProxy;
    static StandaloneBus bus;
    static MutualTlsClient anyone;

    @BeforeAll
    static void startBusBehindProxies() throws Exception {
        assumeThat(ScratchPostgresDatabase.reachable()).as("PostgreSQL on 127.0.0.1:5432").isTrue();
        database = ScratchPostgresDatabase.create();
        int brokerPort = freePort();
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        configuration.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + brokerPort);
        broker = new EmbeddedActiveMQ().setConfiguration(configuration).start();
        databaseProxy = CuttableTcpProxy.to(5432);
        brokerProxy = CuttableTcpProxy.to(brokerPort);
        bus = StandaloneBus.start(dir.resolve("data"),
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + databaseProxy.port() + "/" + database.url().replaceAll(".*/", ""),
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--spring.artemis.mode=native", "--spring.artemis.embedded.enabled=false",
                "--spring.artemis.broker-url=tcp://127.0.0.1:" + brokerProxy.port());
        anyone = MutualTlsClient.anonymous(bus.baseUrl());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (bus != null) {
            bus.close();
        }
        if (brokerProxy != null) {
            brokerProxy.close();
        }
        if (databaseProxy != null) {
            databaseProxy.close();
        }
        if (broker != null) {
            broker.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsUnreachableAndComesBackByItself() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> readiness() == 200);

        databaseProxy.cut();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> readiness() == 503);
            assertThat(liveness()).isEqualTo(200);
        } finally {
            databaseProxy.restore();
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> readiness() == 200);
    }

    @Test
    void readinessIsDownWhileTheBrokerIsUnreachableAndComesBackByItself() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> readiness() == 200);

        brokerProxy.cut();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> readiness() == 503);
            assertThat(liveness()).isEqualTo(200);
        } finally {
            brokerProxy.restore();
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> readiness() == 200);
    }

    private static int readiness() throws Exception {
        return anyone.get("/actuator/health/readiness").statusCode();
    }

    private static int liveness() throws Exception {
        return anyone.get("/actuator/health/liveness").statusCode();
    }
}
