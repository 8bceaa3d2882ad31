package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ReferralOriginTest {

    @Test
    void theSameReferralIdInAnyCaseNamesTheSameOrigin() {
        String id = "5e0c8f7a-1b2c-4d3e-8f90-a1b2c3d4e5f6";
        assertThat(CaseLinking.origin("border-service", id.toUpperCase(Locale.ROOT)))
                .isEqualTo(CaseLinking.origin("border-service", id))
                .as("the sender still counts").isNotEqualTo(CaseLinking.origin("ngo-hotline", id));
    }
}
