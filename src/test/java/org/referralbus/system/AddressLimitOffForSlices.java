package org.referralbus.system;

import java.time.Duration;
import org.mockito.Mockito;
import org.referralbus.audit.RefusalTally;
import org.referralbus.core.ReplayWindow;
import org.referralbus.intake.IntakeProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * For {@code @WebMvcTest} slices: the per-address limit ({@link ClientAddressLimit}) is a servlet filter, so every
 * slice picks it up; this gives it what it needs and turns it off (it has its own end-to-end test), with the rate
 * limit off too. Refusals go to a mock tally.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(ProblemResponses.class)
public class AddressLimitOffForSlices {

    @Bean
    IntakeProperties intakeProperties() {
        return new IntakeProperties(5_242_880, new ReplayWindow(Duration.ofDays(30), Duration.ofMinutes(5)),
                new IntakeProperties.RateLimit(false, 1, 1), new IntakeProperties.AddressLimit(false, 16),
                new IntakeProperties.AnonymousLimit(16), Duration.ofMinutes(2),
                IntakeProperties.UploadPace.DEFAULTS);
    }

    /** Where refusals are counted; a test that checks them declares its own {@code @MockitoBean RefusalTally}. */
    @Bean
    RefusalTally refusalTally() {
        return Mockito.mock(RefusalTally.class);
    }
}
