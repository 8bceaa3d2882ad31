package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.referralbus.schema.referral.Sex;

/**
 * A new record is encoded once for both uses: its probes (its birth years and the years either side) and, among
 * them, the encodings stored for it, made before the case opening lock is taken (CaseLinking).
 */
class PersonProbesTest {

    private final PersonEncoder encoder = new PersonEncoder("person-key-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8),
            PersonEncoder.Hardening.CHOSEN, new SecureRandom());

    @Test
    void theStoredEncodingsAreTheProbesOfTheRecordsOwnBirthYears() {
        PersonIdentity estimatedAge = new PersonIdentity("Nigora", "Saidova", null, Sex.FEMALE, null, 32, LocalDate.of(2026, 11, 1));

        PersonEncoder.ProbesAndStored encoded = encoder.probesAndStored(estimatedAge);

        assertThat(estimatedAge.birthYears()).containsExactly(1993, 1994);
        assertThat(encoded.probes()).hasSize(4); // 1992 to 1995, each once
        assertThat(encoded.stored()).hasSize(2).allSatisfy(stored -> assertThat(encoded.probes()).containsOnlyOnce(stored));
        assertThat(encoded.stored().get(0)).isSameAs(encoded.probes().get(1));
        assertThat(encoded.stored().get(1)).isSameAs(encoded.probes().get(2));
    }

    @Test
    void aProbeLinksToTheStoredEncodingOfTheSameRecordMadeSeparately() {
        PersonIdentity born = new PersonIdentity("Нигина", "Саидова", null, Sex.FEMALE, LocalDate.of(1994, 6, 15), null,
                LocalDate.of(2026, 6, 1));

        PersonEncoder.ProbesAndStored encoded = encoder.probesAndStored(born);

        assertThat(encoded.probes()).hasSize(3);
        assertThat(SimilarityMatcher.best(encoded.probes(), encoder.stored(born))).get().extracting(LinkDecision::linked).isEqualTo(true);
        assertThat(SimilarityMatcher.best(encoder.probes(born), encoded.stored())).get().extracting(LinkDecision::linked).isEqualTo(true);
    }
}
