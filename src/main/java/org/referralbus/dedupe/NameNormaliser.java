package org.referralbus.dedupe;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Brings a name, as one agency or another recorded it, to one canonical Latin spelling, so that
 * {@code Саидова}, {@code Саидова}, {@code SAIDOVA} and {@code Sayidova} give the same string before they are hashed.
 * <ol>
 *   <li>Unicode NFC, lower case, every character that is not a letter dropped (spaces, hyphens, apostrophes).</li>
 *   <li>Cyrillic to Latin, Russian and Tajik letters: ҳ→h, қ→q, ғ→gh, ҷ→j, ӣ→i, ӯ→u, х→kh, ж→zh, ч→ch, ш→sh, …;
 *       Latin letters with diacritics lose them (ī→i, ǧ→g).</li>
 *   <li>Spelling variants agencies actually use are folded together: dzh/dj/zh→j (Russian renders ҷ as дж),
 *       kh/x→h (Russian has no ҳ), gh→g and q→k (Russian has no ғ or қ), y→i, ph→f, w→v, ou→u, and any doubled
 *       letter once (Муҳаммад/Muhamad).</li>
 *   <li>Family names lose their gendered ending (‑ova→‑ov, ‑eva→‑ev, ‑ina→‑in, ‑skaya/‑skiy→‑ski) and ‑zade is
 *       spelled ‑zoda; the sex is keyed separately, so brother and sister are not confused.</li>
 *   <li>Patronymics keep only the father's name: ‑ovna, ‑evna, ‑ovich, ‑evich, ‑ichna, ‑ich are dropped, so
 *       Қурбоналиевна and the Tajik form Қурбоналӣ agree.</li>
 * </ol>
 * The {@link #skeleton} (first letter and consonants) tolerates vowel variants (Мӯҳаммад/Mohammad, Нозанин/Nazanin)
 * and is therefore only trusted together with a patronymic or an exact birth date (see {@link PersonMatcher}).
 */
final class NameNormaliser {

    private static final Map<Character, String> CYRILLIC = Map.ofEntries(
            Map.entry('а', "a"), Map.entry('б', "b"), Map.entry('в', "v"), Map.entry('г', "g"), Map.entry('ғ', "gh"),
            Map.entry('д', "d"), Map.entry('е', "e"), Map.entry('ё', "yo"), Map.entry('ж', "zh"), Map.entry('з', "z"),
            Map.entry('и', "i"), Map.entry('ӣ', "i"), Map.entry('й', "y"), Map.entry('к', "k"), Map.entry('қ', "q"),
            Map.entry('л', "l"), Map.entry('м', "m"), Map.entry('н', "n"), Map.entry('о', "o"), Map.entry('п', "p"),
            Map.entry('р', "r"), Map.entry('с', "s"), Map.entry('т', "t"), Map.entry('у', "u"), Map.entry('ӯ', "u"),
            Map.entry('ф', "f"), Map.entry('х', "kh"), Map.entry('ҳ', "h"), Map.entry('ц', "ts"), Map.entry('ч', "ch"),
            Map.entry('ҷ', "j"), Map.entry('ш', "sh"), Map.entry('щ', "shch"), Map.entry('ъ', ""), Map.entry('ы', "y"),
            Map.entry('ь', ""), Map.entry('э', "e"), Map.entry('ю', "yu"), Map.entry('я', "ya"), Map.entry('ү', "u"),
            Map.entry('ҙ', "z"), Map.entry('ң', "n"));

    /** Ordered: longer variants first, so that dzh becomes j before zh is looked at. */
    private static final List<String[]> VARIANTS = List.of(
            new String[] {"dzh", "j"}, new String[] {"dj", "j"}, new String[] {"zh", "j"}, new String[] {"kh", "h"},
            new String[] {"x", "h"}, new String[] {"gh", "g"}, new String[] {"q", "k"}, new String[] {"ph", "f"},
            new String[] {"w", "v"}, new String[] {"y", "i"}, new String[] {"ou", "u"});

    private static final List<String[]> FAMILY_ENDINGS = List.of(
            new String[] {"skaia", "ski"}, new String[] {"zade", "zoda"},
            new String[] {"ova", "ov"}, new String[] {"eva", "ev"}, new String[] {"ina", "in"});

    /** Latin letters that look like Cyrillic ones, and those Cyrillic letters, position by position. */
    private static final String LATIN_LOOKALIKES = "AaBCcEeHKkMOoPpTXxYy";
    private static final String CYRILLIC_LOOKALIKES = "АаВСсЕеНКкМОоРрТХхУу";

    private static final List<String> PATRONYMIC_ENDINGS = List.of("ovna", "evna", "ovich", "evich", "ichna", "ich");

    private NameNormaliser() {
    }

    /**
     * A given or family name in canonical form, gendered family-name ending removed. Applied to both fields alike,
     * because agencies swap them (Нигина Саидова / SAIDOVA NIGINA).
     */
    static String name(String raw) {
        String name = canonical(latin(raw));
        for (String[] ending : FAMILY_ENDINGS) {
            if (name.length() > ending[0].length() + 2 && name.endsWith(ending[0])) {
                return name.substring(0, name.length() - ending[0].length()) + ending[1];
            }
        }
        return name;
    }

    /**
     * A given or family name in canonical spelling, gendered ending kept (the similarity encoding keys the sex and
     * tolerates a dropped ending; stripping ‑ina from Сабина but not from a misspelt Saibna would only hurt); ‑zade is
     * spelled ‑zoda.
     */
    static String spelling(String raw) {
        String name = canonical(latin(raw));
        return name.endsWith("zade") && name.length() > 6 ? name.substring(0, name.length() - 4) + "zoda" : name;
    }

    /** A patronymic reduced to the father's name; null if absent or empty. */
    static String patronymic(String raw) {
        if (raw == null) {
            return null;
        }
        String name = canonical(latin(raw));
        for (String ending : PATRONYMIC_ENDINGS) {
            if (name.length() > ending.length() + 2 && name.endsWith(ending)) {
                name = name.substring(0, name.length() - ending.length());
                break;
            }
        }
        return name.isEmpty() ? null : name;
    }

    /** First letter and the consonants after it: a coarse key that survives vowel variants. */
    static String skeleton(String canonical) {
        if (canonical.isEmpty()) {
            return canonical;
        }
        StringBuilder out = new StringBuilder().append(canonical.charAt(0));
        for (int i = 1; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if ("aeiou".indexOf(c) < 0 && out.charAt(out.length() - 1) != c) {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String latin(String raw) {
        String text = cyrillicLookalikes(Normalizer.normalize(raw == null ? "" : raw, Normalizer.Form.NFC))
                .toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String mapped = CYRILLIC.get(c);
            if (mapped != null) {
                out.append(mapped);
            } else if (Character.isLetter(c)) {
                String plain = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
                if (plain.chars().allMatch(ch -> ch >= 'a' && ch <= 'z')) {
                    out.append(plain);
                }
            }
        }
        return out.toString();
    }

    /**
     * In a name that holds Cyrillic letters, a Latin letter that looks like a Cyrillic one was typed on the wrong
     * keyboard layout (Нигинa with a Latin a, Сaидoва): it is read as the Cyrillic letter it looks like.
     */
    static String cyrillicLookalikes(String text) {
        if (text.chars().noneMatch(c -> Character.UnicodeBlock.of(c) == Character.UnicodeBlock.CYRILLIC)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int at = LATIN_LOOKALIKES.indexOf(c);
            out.append(at < 0 ? c : CYRILLIC_LOOKALIKES.charAt(at));
        }
        return out.toString();
    }

    static String canonical(String latin) {
        String name = latin;
        for (String[] variant : VARIANTS) {
            name = name.replace(variant[0], variant[1]);
        }
        StringBuilder once = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            if (i == 0 || name.charAt(i) != name.charAt(i - 1)) {
                once.append(name.charAt(i));
            }
        }
        return once.toString();
    }
}
