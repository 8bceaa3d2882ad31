package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.referralbus.schema.referral.Sex;
import org.referralbus.support.MigratedH2;
import org.referralbus.support.ScratchPostgresDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The candidate look-up binds its lists (a hundred LSH blocks and more, the shared encodings, the key ids) as arrays,
 * {@code = ANY(?)}: on both databases the bus runs on, H2 (the embedded default) and PostgreSQL (production).
 */
class PersonEncodingStoreDatabasesTest {

    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-06T03:00:00Z");

    private final PersonEncoder encoder = new PersonEncoder("person-key-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8),
            PersonEncoder.Hardening.CHOSEN, new SecureRandom());
    private final PersonIdentity border = new PersonIdentity("Нигина", "Саидова", "Қурбоналиевна", Sex.FEMALE,
            LocalDate.of(1994, 6, 15), null, LocalDate.of(2026, 6, 1));
    private final PersonIdentity hotline = new PersonIdentity("Nigona", "SAIDOVA", null, Sex.FEMALE, null, 32,
            LocalDate.of(2026, 11, 1));
    private final PersonIdentity someoneElse = new PersonIdentity("Aziz", "Rahimov", null, Sex.MALE,
            LocalDate.of(1971, 2, 3), null, LocalDate.of(2026, 6, 1));

    @Test
    void onH2TheStoredPersonIsACandidateUnderItsKeyOnly() {
        findsTheStoredPersonUnderItsKeyOnly(new JdbcTemplate(MigratedH2.fresh("candidates")));
    }

    @Test
    void onPostgresqlTheStoredPersonIsACandidateUnderItsKeyOnly() throws Exception {
        Assumptions.assumeTrue(ScratchPostgresDatabase.reachable(), "no PostgreSQL on 127.0.0.1:5432 (start it to run this test)");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create()) {
            findsTheStoredPersonUnderItsKeyOnly(new JdbcTemplate(database.migrated()));
        }
    }

    private void findsTheStoredPersonUnderItsKeyOnly(JdbcTemplate jdbc) {
        PersonEncodingStore store = new PersonEncodingStore(jdbc);
        store.remember(encoder.stored(border), "case-border", "origin-1", encoder.keyId(), NOW);
        store.remember(encoder.stored(someoneElse), "case-other", "origin-2", encoder.keyId(), NOW);
        List<PersonEncoding> probes = encoder.probes(hotline);
        assertThat(probes.stream().mapToInt(p -> p.blocks().length).sum()).as("a list of over a hundred blocks").isGreaterThan(100);

        List<PersonEncodingStore.Candidate> candidates = store.candidates(probes, List.of(encoder.keyId(), "another-key"));

        assertThat(candidates).isNotEmpty().allSatisfy(candidate -> {
            assertThat(candidate.caseId()).isEqualTo("case-border");
            assertThat(candidate.keyId()).isEqualTo(encoder.keyId());
            assertThat(candidate.encoding().blocks()).isNotEmpty();
        });
        assertThat(SimilarityMatcher.best(probes, candidates.stream().map(PersonEncodingStore.Candidate::encoding).toList()))
                .get().extracting(LinkDecision::linked).isEqualTo(true);
        assertThat(store.candidates(probes, List.of("another-key"))).as("another secret's encodings are not read").isEmpty();
    }
}
