package org.referralbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderQueuesTest {

    private static final Path ANCHORS = Path.of("keys-sample", "ca.crt");

    @Test
    void theSampleRegistrysQueueProvidersAreThoseWhoseChannelIsQueue() {
        assertThat(ProviderQueues.queueProviders(Path.of("routes", "providers.yaml"), ANCHORS)).containsExactly("shelter-dushanbe",
                "medical-dushanbe", "reintegration-national", "child-protection-national", "coordinator");
    }

    @Test
    void inboxAndWebhookProvidersHaveNoQueueToConsume(@TempDir Path folder) throws Exception {
        // Read as the bus reads it: no channel means QUEUE, and the channel's case does not matter.
        Path registry = folder.resolve("providers.yaml");
        String certificates = Path.of("keys-sample", "providers").toAbsolutePath().toString();
        Files.writeString(registry, """
                providers:
                  - id: legal-aid-khujand
                    services: [LEGAL]
                    regions: [SUGHD]
                    certificate: %1$s/legal-aid-khujand.crt
                    channel: INBOX
                  - id: psychosocial-khatlon
                    services: [PSYCHOSOCIAL]
                    regions: [KHATLON]
                    certificate: %1$s/psychosocial-khatlon.crt
                    channel: WEBHOOK
                    webhook: https://clinic.example/referrals
                  - id: medical-dushanbe
                    services: [MEDICAL]
                    regions: [DUSHANBE]
                    certificate: %1$s/medical-dushanbe.crt
                    channel: queue
                  - id: coordinator
                    services: [SHELTER]
                    regions: [NATIONAL]
                    certificate: %1$s/coordinator.crt
                """.formatted(certificates));
        assertThat(ProviderQueues.queueProviders(registry, ANCHORS)).containsExactly("medical-dushanbe", "coordinator");
    }
}
