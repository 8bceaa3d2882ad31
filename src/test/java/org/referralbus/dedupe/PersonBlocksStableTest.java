package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.referralbus.schema.referral.Sex;

/**
 * The LSH blocks of a person are stored ({@code person_block}) and looked up again by every later referral, so a
 * release must compute exactly the blocks the one before did for the same secret and name: otherwise the people
 * stored before it are no longer found. The expected values were computed by the code of session 32.
 */
class PersonBlocksStableTest {

    private static final byte[] SECRET = "person-key-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);

    @Test
    void theBlocksOfAPersonAreThoseEarlierReleasesStored() {
        PersonIdentity nigora = new PersonIdentity("Nigora", "Saidova", null, Sex.FEMALE, LocalDate.of(1994, 6, 15), null,
                LocalDate.of(2026, 6, 1));
        PersonIdentity cyrillic = new PersonIdentity("Нигина", "Саидова", "Рустамовна", Sex.FEMALE, LocalDate.of(2001, 1, 2),
                null, LocalDate.of(2026, 6, 1));

        assertThat(blocksOf(PersonEncoder.Hardening.CHOSEN, nigora)).isEqualTo(-490249105702L);
        assertThat(blocksOf(PersonEncoder.Hardening.CHOSEN, cyrillic)).isEqualTo(-1361781718496L);
        assertThat(blocksOf(PersonEncoder.Hardening.UNHARDENED, nigora)).isEqualTo(1965754913624L);
    }

    @Test
    void everyBandHasABlockOfItsOwn() {
        PersonEncoder encoder = new PersonEncoder(SECRET, PersonEncoder.Hardening.CHOSEN, new SplittableRandom(7));
        PersonIdentity person = new PersonIdentity("Dilnoza", "Karimova", null, Sex.FEMALE, LocalDate.of(1990, 3, 4), null,
                LocalDate.of(2026, 6, 1));

        long[] blocks = encoder.encode(person, 1990).blocks();

        assertThat(blocks).hasSize(PersonEncoder.BANDS);
        assertThat(Arrays.stream(blocks).distinct().count()).isEqualTo(PersonEncoder.BANDS);
    }

    /** One number for all the blocks of a person's three probes, the random bits seeded so that they repeat. */
    private static long blocksOf(PersonEncoder.Hardening hardening, PersonIdentity person) {
        PersonEncoder encoder = new PersonEncoder(SECRET, hardening, new SplittableRandom(7));
        long combined = 17;
        for (PersonEncoding probe : encoder.probesAndStored(person).probes()) {
            combined = 31 * combined + Arrays.hashCode(probe.blocks());
        }
        return combined;
    }
}
