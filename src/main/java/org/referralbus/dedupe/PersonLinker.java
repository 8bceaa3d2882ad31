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

    Optional<Match> find(PersonIdentity person) {
        Optional<Match> best = Optional.empty();
        Set<String> linked = new java.util.TreeSet<>();
        for (PersonEncoder encoder : encoders.all()) {
            List<PersonEncoding> probes = encoder.probes(person);
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
        return best.map(b -> new Match(b.caseId(), b.decision(), without(linked, b.caseId()))).or(() -> legacy(person));
    }

    private static Set<String> without(Set<String> cases, String caseId) {
        Set<String> others = new java.util.TreeSet<>(cases);
        others.remove(caseId);
        return Set.copyOf(others);
    }

    void remember(PersonIdentity person, String caseId, String origin, OffsetDateTime now) {
        PersonEncoder current = encoders.current();
        encodings.remember(current.stored(person), caseId, origin, current.keyId(), now);
    }

    private Optional<Match> legacy(PersonIdentity person) {
        Map<String, Set<KeyKind>> agreeing = legacyKeys.agreeingByCase(legacyScheme.keysFor(person).probes());
        return PersonMatcher.bestCase(agreeing).map(caseId -> new Match(caseId, new LinkDecision(1.0, LinkRule.LEGACY_KEYS)));
    }

    private static final Comparator<Match> BETTER = Comparator.comparing(Match::decision, SimilarityMatcher.ORDER)
            .thenComparing(Match::caseId, Comparator.reverseOrder());
}
