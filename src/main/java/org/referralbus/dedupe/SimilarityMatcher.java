package org.referralbus.dedupe;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The match rule over two {@link PersonEncoding}s of the same salt (same sex, birth years within the window). Tuned
 * for precision, since a false link sends one victim's file to another's shelter; measured in
 * {@code PersonMatcherAccuracyTest}, whose targets hold at these thresholds:
 * <ol>
 *   <li>veto: both recorded a birth date and the dates differ ({@link LinkRule#BIRTH_DATE_DIFFERS});</li>
 *   <li>veto: both recorded a patronymic and the patronymics' Dice is below {@value #PATRONYMIC_DIFFERS}
 *       ({@link LinkRule#PATRONYMIC_DIFFERS});</li>
 *   <li>each name of the new record must be found in the stored encoding: its Dice with what the stored filter holds
 *       for it at least {@value #EACH_NAME}, or at least {@value #EACH_NAME_ONE_EDIT} for a spelling one edit away
 *       (two typing errors in one name). A twin whose given name is three edits from the other's fails here, however
 *       alike the rest ({@link LinkRule#NAMES_DIFFER});</li>
 *   <li>and the whole names' Dice at least {@value #NAMES}.</li>
 * </ol>
 * The rule recorded says what corroborated the names: the same birth date, a similar patronymic, or nothing (then
 * namesakes of the same sex born within a year of each other are linked: docs/linking.md). The score is the
 * weakest name's similarity, the figure that decided.
 */
final class SimilarityMatcher {

    static final double NAMES = 0.50;
    static final double EACH_NAME = 0.54;
    static final double EACH_NAME_ONE_EDIT = 0.76;
    /** Below this a name is not two edits from the stored one: the one-edit spellings are not worth computing. */
    static final double WORTH_ONE_EDIT = 0.30;
    static final double PATRONYMIC_AGREES = 0.70;
    static final double PATRONYMIC_DIFFERS = 0.50;

    private SimilarityMatcher() {
    }

    static LinkDecision decide(PersonEncoding probe, PersonEncoding stored) {
        double names = PersonEncoding.dice(probe.names(), stored.names());
        double weakest = probe.weakestNameIn(stored.names());
        if (probe.birthDateTag() != null && stored.birthDateTag() != null
                && !probe.birthDateTag().equals(stored.birthDateTag())) {
            return new LinkDecision(weakest, LinkRule.BIRTH_DATE_DIFFERS);
        }
        Double fathers = probe.patronymic() == null || stored.patronymic() == null ? null
                : PersonEncoding.dice(probe.patronymic(), stored.patronymic());
        if (fathers != null && fathers < PATRONYMIC_DIFFERS) {
            return new LinkDecision(weakest, LinkRule.PATRONYMIC_DIFFERS);
        }
        if (names < NAMES) {
            return new LinkDecision(weakest, LinkRule.NAMES_DIFFER);
        }
        if (weakest < WORTH_ONE_EDIT) {
            return new LinkDecision(weakest, LinkRule.NAMES_DIFFER);
        }
        if (weakest < EACH_NAME) {
            // Only here are the spellings one edit away computed: they cost a few hundred filters.
            double oneEdit = probe.weakestNameWithinOneEditIn(stored.names(), EACH_NAME_ONE_EDIT);
            if (oneEdit < EACH_NAME_ONE_EDIT) {
                return new LinkDecision(weakest, LinkRule.NAMES_DIFFER);
            }
            weakest = oneEdit;
        }
        if (probe.birthDateTag() != null && probe.birthDateTag().equals(stored.birthDateTag())) {
            return new LinkDecision(weakest, LinkRule.NAMES_AND_BIRTH_DATE);
        }
        if (fathers != null && fathers >= PATRONYMIC_AGREES) {
            return new LinkDecision(weakest, LinkRule.NAMES_AND_PATRONYMIC);
        }
        return new LinkDecision(weakest, LinkRule.NAMES);
    }

    /**
     * The best decision for a new record (its probe encodings) against one earlier record (its stored encodings),
     * considering only pairs that share an LSH block, as the store would find them. Empty if none shares a block.
     */
    static Optional<LinkDecision> best(List<PersonEncoding> probes, List<PersonEncoding> stored) {
        return probes.stream()
                .flatMap(p -> stored.stream().filter(p::sharesBlockWith).map(s -> decide(p, s)))
                .max(ORDER);
    }

    /** Links before non-links, then the higher score. */
    static final Comparator<LinkDecision> ORDER = Comparator.comparing((LinkDecision d) -> d.linked())
            .thenComparingDouble(LinkDecision::score);
}
