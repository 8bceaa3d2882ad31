package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The fast construction of the one-edit spellings' filters (issue 16, Must 4) gives exactly the filters of the
 * spellings {@link PersonEncoder#oneEditAway} lists, built one by one: the matcher's decisions cannot change.
 */
class OneEditFiltersTest {

    private final PersonEncoder encoder = new PersonEncoder("one-edit-filters-secret-of-32-bytes!".getBytes(StandardCharsets.UTF_8),
            PersonEncoder.Hardening.CHOSEN, new SecureRandom());
    private final SecretKeySpec salt = new SecretKeySpec("a salt".getBytes(StandardCharsets.UTF_8), "HmacSHA256");

    @Test
    void sameFiltersAsTheSpellingsBuiltOneByOne() {
        for (String name : new String[] {"nigina", "saidova", "a", "ab", "jamshed", "kurbonali", "zz"}) {
            Set<String> fast = encoder.oneEditFilters(salt, name).stream().map(Arrays::toString).collect(Collectors.toSet());
            Set<String> oneByOne = Stream.concat(PersonEncoder.oneEditAway(name).stream(), Stream.of(name))
                    .map(spelling -> Arrays.toString(encoder.nameFilter(salt, spelling))).collect(Collectors.toSet());
            // the fast list may also hold the name's own filter (a substitution by the same letter): never a better match
            fast.add(Arrays.toString(encoder.nameFilter(salt, name)));
            assertThat(fast).as(name).isEqualTo(oneByOne);
        }
    }
}
