package org.referralbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.referralbus.support.RunningBus;

/**
 * {@code --bus} given the broker's TLS acceptor instead of the bus's HTTPS port: the acceptor takes the participant's
 * certificate, reads the HTTP request as the start of a message, and says nothing. A clerk waited 4 times 3 minutes,
 * told only "a slow line?"; against the real embedded broker, the sentence now comes within seconds.
 */
class BrokerPortGivenAsBusEndToEndTest extends RunningBus {

    @Test
    void theBrokersPortGivenAsTheBusIsSaidWithinSecondsAsSuch() {
        String brokerPort = "https://localhost:" + BROKER_PORT;
        long started = System.nanoTime();

        CommandRun status = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> CommandRun.at(brokerPort, "status", "00000000-0000-0000-0000-000000000001"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(status.exit()).as(status.output()).isEqualTo(ClientCommands.UNREACHABLE);
        assertThat(status.output()).contains("The address " + brokerPort + " (--bus, or bus= in the profile) answered TLS but"
                + " not HTTP: it is probably the message broker's port", "https://localhost:8443").doesNotContain("Waiting", "\tat ");
        assertThat(CommandRun.at(baseUrl(), "status", "00000000-0000-0000-0000-000000000001").output())
                .as("the bus's own port still answers").contains("(not_found)");
    }
}
