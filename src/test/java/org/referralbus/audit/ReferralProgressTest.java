package org.referralbus.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a referral's progress says nothing more is expected: what the console's stuck list leaves out. */
class ReferralProgressTest {

    private static final OffsetDateTime AT = OffsetDateTime.parse("2026-12-04T10:00:00Z");

    private static ReferralProgress progress(String lastStep, OffsetDateTime delivered, List<String> awaiting) {
        return new ReferralProgress("r-1", "border-service", AT, lastStep, AT.plusMinutes(5), List.of("shelter-dushanbe"),
                delivered, null, awaiting);
    }

    @Test
    void aReferralRejectedBeforeAnyCopyLeftIsFinished() {
        assertThat(progress("REJECTED", null, List.of()).finished()).isTrue();
    }

    @Test
    void aRejectedResendDoesNotFinishADeliveredReferralStillAwaitingItsProviders() {
        assertThat(progress("REJECTED", AT.plusMinutes(1), List.of("shelter-dushanbe")).finished()).isFalse();
    }

    @Test
    void everyProviderAnsweredIsFinishedAndAnOpenOneIsNot() {
        assertThat(progress("ACKNOWLEDGED", AT.plusMinutes(1), List.of()).finished()).isTrue();
        assertThat(progress("DELIVERED", AT.plusMinutes(1), List.of("shelter-dushanbe")).finished()).isFalse();
        assertThat(progress("ROUTED", AT.plusMinutes(1), List.of()).finished()).as("a re-routing under way").isFalse();
    }
}
