package org.referralbus.dedupe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.referralbus.dedupe.PersonPairGenerator.Person;

/**
 * The typing errors of clerks at border posts and hotlines, for {@link PersonPairGenerator}: a neighbouring key on
 * the Russian or Tajik Cyrillic layout (or QWERTY for Latin), a letter left out, typed twice or an extra one, two
 * letters swapped, a letter from the other script that looks the same (Latin a in Нигина), an ending dropped.
 */
final class TypingErrors {

    private static final String[][] LAYOUTS = {
            {"йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"},   // Russian ЙЦУКЕН
            {"йқукенгшҳзхъ", "фҷвапролджэ", "ячсмитӣбю"},   // Tajik: қ, ҳ, ҷ, ӣ where Russian has ц, щ, ы, ь
            {"qwertyuiop", "asdfghjkl", "zxcvbnm"}};
    private static final String LATIN_LOOKALIKES = "aceopxyk";
    private static final String CYRILLIC_LOOKALIKES = "асеорхук";
    private static final String CYRILLIC_CONSONANTS = "бвгдзклмнпрстфхш";
    private static final String LATIN_CONSONANTS = "bdfgklmnprstvz";

    private TypingErrors() {
    }

    /** One typing error of the given kind in the given or family name (sometimes the patronymic) of {@code p}. */
    static Person apply(Person p, String kind, Random random) {
        int field = random.nextInt(100);
        if (field < 10 && p.patronymic() != null && !kind.equals("dropped-ending")) {
            return new Person(p.given(), p.family(), edit(p.patronymic(), kind, random), p.sex(), p.birthDate(), p.ageEstimate(), p.referenceDate());
        }
        if (field < 55) {
            return new Person(edit(p.given(), kind, random), p.family(), p.patronymic(), p.sex(), p.birthDate(), p.ageEstimate(), p.referenceDate());
        }
        return new Person(p.given(), edit(p.family(), kind, random), p.patronymic(), p.sex(), p.birthDate(), p.ageEstimate(), p.referenceDate());
    }

    /** Another family name one letter apart (Назаров/Насаров): a different family, not a typo. */
    static String oneLetterApart(String family, Random random) {
        String consonants = isCyrillic(family) ? CYRILLIC_CONSONANTS : LATIN_CONSONANTS;
        int at = 1 + random.nextInt(Math.min(4, family.length() - 1));
        char replacement;
        do {
            replacement = consonants.charAt(random.nextInt(consonants.length()));
        } while (Character.toLowerCase(family.charAt(at)) == replacement);
        return family.substring(0, at) + replacement + family.substring(at + 1);
    }

    static String edit(String text, String kind, Random random) {
        String core = text.strip();
        String lead = text.substring(0, text.indexOf(core.isEmpty() ? text : core));
        String trail = text.substring(lead.length() + core.length());
        if (core.length() < 3) {
            return text;
        }
        int at = random.nextInt(core.length());
        StringBuilder out = new StringBuilder(core);
        switch (kind) {
            case "neighbour-key" -> out.setCharAt(at, neighbour(core.charAt(at), random));
            case "deletion" -> out.deleteCharAt(at);
            case "insertion" -> out.insert(at + 1, neighbour(core.charAt(at), random));
            case "transposition" -> {
                int i = Math.min(at, core.length() - 2);
                out.setCharAt(i, core.charAt(i + 1));
                out.setCharAt(i + 1, core.charAt(i));
            }
            case "doubled-letter" -> out.insert(at, core.charAt(at));
            case "mixed-script" -> mixScript(out, random);
            case "dropped-ending" -> out.setLength(core.length() - (core.length() > 5 ? 1 + random.nextInt(2) : 1));
            default -> throw new IllegalArgumentException(kind);
        }
        return lead + out + trail;
    }

    /** A key next to {@code c} on the layout its script is typed on, in the same case. */
    private static char neighbour(char c, Random random) {
        char lower = Character.toLowerCase(c);
        List<Character> candidates = new ArrayList<>();
        for (String[] layout : LAYOUTS) {
            for (String row : layout) {
                int i = row.indexOf(lower);
                if (i > 0) {
                    candidates.add(row.charAt(i - 1));
                }
                if (i >= 0 && i + 1 < row.length()) {
                    candidates.add(row.charAt(i + 1));
                }
            }
        }
        if (candidates.isEmpty()) {
            return c;
        }
        char picked = candidates.get(random.nextInt(candidates.size()));
        return Character.isUpperCase(c) ? Character.toUpperCase(picked) : picked;
    }

    /** One letter replaced by its look-alike from the other script, as on a keyboard left in the wrong layout. */
    private static void mixScript(StringBuilder name, Random random) {
        boolean cyrillic = isCyrillic(name.toString());
        String from = cyrillic ? CYRILLIC_LOOKALIKES : LATIN_LOOKALIKES;
        String to = cyrillic ? LATIN_LOOKALIKES : CYRILLIC_LOOKALIKES;
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < name.length(); i++) {
            if (from.indexOf(Character.toLowerCase(name.charAt(i))) >= 0) {
                positions.add(i);
            }
        }
        if (positions.isEmpty()) {
            return;
        }
        int at = positions.get(random.nextInt(positions.size()));
        char c = name.charAt(at);
        char swapped = to.charAt(from.indexOf(Character.toLowerCase(c)));
        name.setCharAt(at, Character.isUpperCase(c) ? Character.toUpperCase(swapped) : swapped);
    }

    private static boolean isCyrillic(String text) {
        return text.toLowerCase(Locale.ROOT).chars().anyMatch(c -> Character.UnicodeBlock.of(c) == Character.UnicodeBlock.CYRILLIC);
    }
}
