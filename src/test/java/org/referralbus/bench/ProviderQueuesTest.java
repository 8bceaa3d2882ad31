package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderQueuesTest {

    @Test
    void theSampleRegistrysQueueProvidersAreThoseWhoseChannelIsQueue() throws Exception {
        assertThat(ProviderQueues.queueProviders(Path.of("routes", "providers.yaml"))).containsExactly("shelter-dushanbe",
                "medical-dushanbe", "reintegration-national", "child-protection-national", "coordinator");
    }

    @Test
    void inboxAndWebhookProvidersHaveNoQueueToConsume(@TempDir Path folder) throws Exception {
        Path registry = folder.resolve("providers.yaml");
        Files.writeString(registry, """
                providers:
                  - id: a-shelter
                    channel: INBOX
                  - id: a-clinic
                    channel: WEBHOOK
                    webhook: https://clinic.example/referrals
                  - id: a-coordinator
                    channel: QUEUE
                """);
        assertThat(ProviderQueues.queueProviders(registry)).containsExactly("a-coordinator");
    }
}
