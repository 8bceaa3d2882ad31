package org.referralbus.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A stale referral's refusal names the replay window as a clerk reads it, not as ISO 8601 ("PT720H"). */
class ReplayWindowWordsTest {

    @Test
    void theWindowIsSaidInDaysHoursOrMinutes() {
        assertThat(ReferralValidation.human(Duration.ofDays(30))).isEqualTo("30 days");
        assertThat(ReferralValidation.human(Duration.ofHours(720))).isEqualTo("30 days");
        assertThat(ReferralValidation.human(Duration.ofDays(1))).isEqualTo("1 day");
        assertThat(ReferralValidation.human(Duration.ofHours(2))).isEqualTo("2 hours");
        assertThat(ReferralValidation.human(Duration.ofMinutes(5))).isEqualTo("5 minutes");
        assertThat(ReferralValidation.human(Duration.ofSeconds(90))).isEqualTo("1 minute");
        assertThat(ReferralValidation.human(Duration.ofMinutes(90))).isEqualTo("90 minutes");
    }
}
