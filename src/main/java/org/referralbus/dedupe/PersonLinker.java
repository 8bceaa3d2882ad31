package org.referralbus.dedupe;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the case of the same person for a new record and remembers the record's encodings. Compares each of the new
 * record's probes with the stored encodings sharing one of its LSH blocks ({@link PersonEncodingStore#candidates}), under the current
 * secret and, while a rotation runs, the previous one ({@link PersonEncoders}); the best linking decision per case
 * wins ({@link SimilarityMatcher#ORDER}, ties to the smaller case id). Keys of the scheme before issue 16
 * ({@code person_key}) are still looked up until the person window has expired them all; nothing new is written there.
 */
final class PersonLinker {

    /**
     * The case a record joins and the decision that put it there; {@code alsoLinked} are the other cases the record
     * would have linked to (the coordinator may have split them apart: {@link CaseLinking}).
     */
    record Match(String caseId, LinkDecision decision, Set<String> alsoLinked) {

        Match(String caseId, LinkDecision decision) {
            this(caseId, decision, Set.of());
        }
    }

    private final PersonEncoders encoders;
    private final PersonEncodingStore encodings;
    private final PersonKeyScheme legacyScheme;
    private final PersonKeyStore legacyKeys;

    PersonLinker(PersonEncoders encoders, PersonEncodingStore encodings, PersonKeyScheme legacyScheme, PersonKeyStore legacyKeys) {
        this.encoders = encoders;
        this.encodings = encodings;
        this.legacyScheme = legacyScheme;
        this.legacyKeys = legacyKeys;
    }

    /**
     * A new record's encodings under every secret in use, made before the case opening lock is taken: hashing is
     * the longest part of a choice, and other referrals' choices need not wait for it.
     */
    record Encoded(PersonIdentity person, Map<PersonEncoder, List<PersonEncoding>> probes, String keyId, List<PersonEncoding> stored) {
    }

    Encoded encode(PersonIdentity person) {
        Map<PersonEncoder, List<PersonEncoding>> probes = new java.util.LinkedHashMap<>();
        PersonEncoder current = encoders.current();
        List<PersonEncoding> stored = List.of();
        for (PersonEncoder encoder : encoders.all()) {
            PersonEncoder.ProbesAndStored encodings = encoder.probesAndStored(person);
            probes.put(encoder, encodings.probes());
            if (encoder == current) {
                stored = encodings.stored();
            }
        }
        return new Encoded(person, probes, current.keyId(), stored);
    }

    Optional<Match> find(Encoded record) {
        Optional<Match> best = Optional.empty();
        Set<String> linked = new java.util.TreeSet<>();
        for (Map.Entry<PersonEncoder, List<PersonEncoding>> byEncoder : record.probes().entrySet()) {
            PersonEncoder encoder = byEncoder.getKey();
            List<PersonEncoding> probes = byEncoder.getValue();
            for (PersonEncodingStore.Candidate candidate : encodings.candidates(probes, List.of(encoder.keyId()))) {
                for (PersonEncoding probe : probes) {
                    if (!probe.sharesBlockWith(candidate.encoding())) {
                        continue; // as measured (SimilarityMatcher.best): only pairs the blocks bring together
                    }
                    Match match = new Match(candidate.caseId(), SimilarityMatcher.decide(probe, candidate.encoding()));
                    if (match.decision().linked()) {
                        linked.add(match.caseId());
                        if (best.isEmpty() || BETTER.compare(match, best.get()) > 0) {
                            best = Optional.of(match);
                        }
                    }
                }
            }
        }
        return best.map(b -> new Match(b.caseId(), b.decision(), without(linked, b.caseId()))).or(() -> legacy(record.person()));
    }

    private static Set<String> without(Set<String> cases, String caseId) {
        Set<String> others = new java.util.TreeSet<>(cases);
        others.remove(caseId);
        return Set.copyOf(others);
    }

    void remember(Encoded record, String caseId, String origin, OffsetDateTime now) {
        encodings.remember(record.stored(), caseId, origin, record.keyId(), now);
    }

    /**
     * As {@link #remember} for a case opened in the caller's transaction, which commits these encodings with it: the
     * case has no others to refresh, and no earlier attempt can have stored them.
     */
    void rememberInNewCase(Encoded record, String caseId, String origin, OffsetDateTime now) {
        encodings.store(record.stored(), caseId, origin, record.keyId(), now);
    }

    private Optional<Match> legacy(PersonIdentity person) {
        Map<String, Set<KeyKind>> agreeing = legacyKeys.agreeingByCase(legacyScheme.keysFor(person).probes());
        return PersonMatcher.bestCase(agreeing).map(caseId -> new Match(caseId, new LinkDecision(1.0, LinkRule.LEGACY_KEYS)));
    }

    private static final Comparator<Match> BETTER = Comparator.comparing(Match::decision, SimilarityMatcher.ORDER)
            .thenComparing(Match::caseId, Comparator.reverseOrder());
}
