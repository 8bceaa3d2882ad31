package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.referralbus.support.BusProcess;
import org.referralbus.support.MutualTlsClient;

/**
 * A service manager or load balancer probing a bus from the moment it is launched: every probe is answered (DOWN
 * until the flow runs, as it should be), and none leaves a WARN line in the log. Camel's probe indicators used to log
 * two per look at {@code /actuator/health} while the flow started ({@code Probe in group 'camel', with id 'context'
 * failed with message 'Camel Context 'referral-bus' is starting …'}), which alarmed an operator on a first start.
 */
class StartupProbesEndToEndTest {

    private static final List<String> PROBES = List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness");

    @TempDir
    Path dataDir;

    @Test
    void probesOfAStartingBusLeaveNoWarningInTheLog() throws Exception {
        List<Integer> answers = new CopyOnWriteArrayList<>();
        AtomicBoolean probing = new AtomicBoolean(true);
        try (BusProcess bus = BusProcess.on(dataDir)) {
            MutualTlsClient anonymous = MutualTlsClient.anonymous(bus.baseUrl());
            Thread prober = new Thread(() -> {
                while (probing.get()) {
                    for (String probe : PROBES) {
                        try {
                            answers.add(anonymous.get(probe).statusCode());
                        } catch (Exception notListeningYet) {
                            // the JVM is still starting: a probe finds no port yet
                        }
                    }
                    try {
                        TimeUnit.MILLISECONDS.sleep(100); // a probe's period, faster than any service manager's
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "probe");
            prober.start();
            bus.start();
            assertThat(anonymous.get("/actuator/health/readiness").statusCode()).as("ready").isEqualTo(200);
            probing.set(false);
            prober.join();

            assertThat(answers).as("probes answered while the bus was not yet up").anySatisfy(status -> assertThat(status).isEqualTo(503));
            List<String> lines = Files.readAllLines(dataDir.resolve("bus.log"), StandardCharsets.UTF_8);
            assertThat(lines).as("the bus's log from launch until ready").anySatisfy(line -> assertThat(line).contains("Started ReferralBusApplication"));
            assertThat(lines).filteredOn(line -> line.contains(" WARN ") && line.contains("Probe in group")).isEmpty();
        }
    }
}
