package org.referralbus.dedupe;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The match rule over the kinds of key a new referral shares with an earlier case. Tuned for precision (a false
 * link sends a person's file to the wrong shelter), measured in {@code PersonMatcherAccuracyTest}:
 * <ul>
 *   <li>veto: both recorded a patronymic but the patronymics differ, or both recorded a birth date and the dates
 *       differ (namesakes of the same age are told apart by what they do not share);</li>
 *   <li>link: otherwise, the canonical names, sex and birth year (±1) agree; or the looser skeletons agree and an
 *       exact patronymic or birth date corroborates them.</li>
 * </ul>
 */
final class PersonMatcher {

    private PersonMatcher() {
    }

    static boolean matches(Set<KeyKind> agreeing) {
        boolean differentFather = agreeing.contains(KeyKind.PATRONYMIC_KNOWN) && !agreeing.contains(KeyKind.PATRONYMIC);
        boolean differentBirthday = agreeing.contains(KeyKind.BIRTH_DATE_KNOWN) && !agreeing.contains(KeyKind.BIRTH_DATE);
        if (differentFather || differentBirthday) {
            return false;
        }
        return agreeing.contains(KeyKind.NAME) || (agreeing.contains(KeyKind.SKELETON)
                && (agreeing.contains(KeyKind.PATRONYMIC) || agreeing.contains(KeyKind.BIRTH_DATE)));
    }

    /** The case to join among candidates: the one sharing most kinds of key, ties to the smallest case id (deterministic). */
    static Optional<String> bestCase(Map<String, Set<KeyKind>> agreeingByCase) {
        return agreeingByCase.entrySet().stream()
                .filter(e -> matches(e.getValue()))
                .sorted((a, b) -> a.getValue().size() != b.getValue().size()
                        ? Integer.compare(b.getValue().size(), a.getValue().size())
                        : a.getKey().compareTo(b.getKey()))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
