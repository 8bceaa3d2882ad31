package org.referralbus.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.referralbus.core.ErrorCode;
import org.referralbus.support.FuzzRun;
import org.referralbus.support.SeededMutator;

/**
 * Fuzzes {@link ReferralReader#read} with mutations of every example, invalid and hostile fixture. The only
 * acceptable outcomes are a bound referral or {@code schema_violation}; never another exception, never a hang.
 */
class ReferralReaderFuzzTest {

    private final ReferralReader reader = new ReferralReader();

    @Test
    void mutatedReferralsAreReadOrCleanlyRejected() throws Exception {
        List<byte[]> corpus = new ArrayList<>();
        for (Path folder : List.of(Path.of("schemas/examples"), Path.of("src/test/resources/referrals/invalid"),
                Path.of("src/test/resources/referrals/hostile"))) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.sorted().toList()) {
                    corpus.add(Files.readAllBytes(file));
                }
            }
        }

        FuzzRun.Outcome outcome = FuzzRun.run("referral-reader", new SeededMutator(FuzzRun.SEED, corpus),
                Set.of(ErrorCode.SCHEMA_VIOLATION), reader::read);

        assertThat(outcome.rejected()).isPositive();
    }
}
