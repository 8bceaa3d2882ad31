package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SenderDetailsTest {

    @Test
    void aNeedWithTheCoordinatorDoesNotSayWhetherAnotherAgencysCaseOrFullProvidersSentItThere() {
        assertThat(SenderDetails.shown("coordinator-review:SHELTER")).isEqualTo("coordinator:SHELTER");
        assertThat(SenderDetails.shown("no-capacity:SHELTER")).isEqualTo("coordinator:SHELTER");
    }

    @Test
    void anUnavailableProviderIsNamedWithoutSayingWhy() {
        assertThat(SenderDetails.shown("PROVIDER_SUSPENDED:medical-dushanbe")).isEqualTo("PROVIDER_UNAVAILABLE:medical-dushanbe");
        assertThat(SenderDetails.shown("WEBHOOK_FAILED:medical-dushanbe")).isEqualTo("PROVIDER_UNAVAILABLE:medical-dushanbe");
    }

    @Test
    void whatTheSendersOwnReferralOrTheRegistryExplainsReadsAsStored() {
        for (String detail : new String[] {"regional:SHELTER", "national:RETURN", "minor:CHILD_PROTECTION", "linked-case:SHELTER",
                "no-consent:LEGAL", "outside-consent:LEGAL", "no-provider:EDUCATION", "escalated:MEDICAL",
                "NO_ACK:legal-aid-khujand", "NO_CAPACITY", "OUT_OF_AREA", "QUEUE", "INBOX"}) {
            assertThat(SenderDetails.shown(detail)).isEqualTo(detail);
        }
        assertThat(SenderDetails.shown(null)).isNull();
    }
}
