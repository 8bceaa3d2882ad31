package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two ways {@link PersonEncoder} takes the MinHash minima must agree on every filter, sparse or dense, or the
 * blocks a release stores would depend on which way a name's bit count chose.
 */
class PersonBlocksByRankTest {

    private final PersonEncoder encoder = new PersonEncoder(
            "person-key-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8), PersonEncoder.Hardening.CHOSEN,
            new SplittableRandom(7));

    @Test
    void takingTheMinimaByRankGivesTheMinimaOverTheSetBitsAtEveryDensity() {
        SplittableRandom random = new SplittableRandom(44);
        for (int setBits : new int[] {1, 2, 5, PersonEncoder.SPARSE_BELOW - 1, PersonEncoder.SPARSE_BELOW, 150, 400,
                2000, PersonEncoder.NAME_BITS}) {
            for (int trial = 0; trial < 20; trial++) {
                long[] filter = new long[PersonEncoder.NAME_BITS / 64];
                for (int set = 0; set < setBits; ) {
                    int bit = random.nextInt(PersonEncoder.NAME_BITS);
                    if ((filter[bit >>> 6] & (1L << bit)) == 0) {
                        filter[bit >>> 6] |= 1L << bit;
                        set++;
                    }
                }
                assertThat(encoder.minimaByRank(filter)).as("%d bits set", setBits)
                        .isEqualTo(encoder.minimaOverSetBits(filter));
            }
        }
    }
}
