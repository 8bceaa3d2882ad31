package org.referralbus.dedupe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Writes the labelled set of synthetic person pairs the matcher is measured on
 * ({@code src/test/resources/dedupe/person-pairs.csv}). Every name is synthetic, built from common Tajik and
 * Russian given names, family-name roots and fathers' names; no real case is behind any row.
 *
 * <p>Regenerate (deterministic for {@link #SEED}) from the project folder:
 * <pre>mvn -B -o test -Dtest=PersonMatcherAccuracyTest -Dregenerate-person-pairs=true</pre>
 * ({@code PersonMatcherAccuracyTest} also fails if the committed file differs from what this generator writes.)
 *
 * <p>Positives are one person recorded twice by different agencies: Tajik Cyrillic, Russian Cyrillic, Tajik-style
 * Latin, Russian-passport Latin or loose Latin (x for х, dj for ҷ, doubled or single letters), upper case, stray
 * spaces, given and family name swapped, -zoda/-zade, patronymic present or not, birth date or an age estimate off
 * by up to a year; {@value #TYPO_POSITIVES} of them also carry typing errors ({@link TypingErrors}, kinds in the
 * proportions of {@link #TYPOS}). Negatives ({@value #NEGATIVES_PER_CATEGORY} per category of
 * {@link #HARD_NEGATIVES}) are the hard ones: twins and siblings with similar given names (at least three edits
 * apart), the same common name in the same birth year, family names one letter apart, namesakes years apart, with
 * other fathers or other birth dates; each carries on both sides the attribute that tells the two apart.
 */
public final class PersonPairGenerator {

    public static final long SEED = 20261203L;
    public static final int CLEAN_POSITIVES = 600;
    public static final int TYPO_POSITIVES = 640;
    public static final int NEGATIVES_PER_CATEGORY = 130;
    public static final Path FILE = Path.of("src/test/resources/dedupe/person-pairs.csv");

    /** The kinds of typing error, each with its share of the typo pairs (single edits dominate, as in Damerau's count). */
    static final String[] TYPOS = {"neighbour-key", "neighbour-key", "neighbour-key", "deletion", "deletion", "insertion",
            "transposition", "transposition", "doubled-letter", "mixed-script", "dropped-ending", "two-errors", "two-errors"};
    static final String[] HARD_NEGATIVES = {"twin", "sibling", "common-name-same-year", "family-one-letter-apart",
            "namesake-years-apart", "common-names-same-age", "namesake-other-father", "namesake-other-birth-date"};

    static final String HEADER = "id,label,category,variations,"
            + "a_given,a_family,a_patronymic,a_sex,a_birth_date,a_age_estimate,a_reference_date,"
            + "b_given,b_family,b_patronymic,b_sex,b_birth_date,b_age_estimate,b_reference_date";

    static final String[] FEMALE = {"Нигина", "Меҳрангез", "Фотима", "Зарина", "Мадина", "Шаҳло", "Гулноза",
            "Дилноза", "Малика", "Парвина", "Сабина", "Ситора", "Таҳмина", "Фарангис", "Мунира", "Нозанин", "Манижа",
            "Зебо", "Шабнам", "Гулчеҳра", "Рухшона", "Мавҷуда", "Ҳилола", "Зулфия", "Барно", "Моҳира", "Шаҳноза",
            "Дилором", "Қумри", "Ғунча", "Ольга", "Наталья", "Елена", "Светлана", "Ирина"};
    static final String[] MALE = {"Фаррух", "Ҷамшед", "Рустам", "Бахтиёр", "Далер", "Фирдавс", "Суҳроб",
            "Шаҳриёр", "Умед", "Парвиз", "Абдулло", "Муҳаммад", "Исмоил", "Аҳмад", "Искандар", "Комрон", "Хуршед",
            "Ҳусейн", "Қурбон", "Ғайрат", "Шерзод", "Баҳром", "Зафар", "Илҳом", "Азиз", "Нуриддин", "Сайфулло",
            "Сергей", "Алексей", "Дмитрий", "Андрей"};
    /** Family names in the male form; the female form adds -а (or keeps -зода). */
    static final String[] FAMILY = {"Раҳимов", "Саидов", "Каримов", "Назаров", "Шарипов", "Раҷабов",
            "Ҳасанов", "Давлатов", "Қодиров", "Ғафуров", "Юсупов", "Азимов", "Сафаров", "Мирзоев", "Алиев", "Ҷӯраев",
            "Холов", "Одинаев", "Бобоев", "Исмоилов", "Ҳамроев", "Латипов", "Мақсудов", "Раҳимзода", "Каримзода",
            "Саидзода", "Назарзода", "Шарифзода", "Ҳасанзода", "Иванов", "Петров", "Кузнецов"};
    /** Fathers' names, as used in patronymics (Қурбоналиевна / Қурбоналӣ). */
    static final String[] FATHER = {"Қурбонали", "Абдулло", "Сафар", "Ҳасан", "Давлат", "Раҳим", "Исмоил",
            "Назар", "Ҷамшед", "Шариф", "Юсуф", "Маҳмад", "Нурулло", "Ғулом", "Хол", "Бобо", "Сергей", "Николай"};

    private final Random random = new Random(SEED);

    record Person(String given, String family, String patronymic, String sex, LocalDate birthDate,
                  Integer ageEstimate, LocalDate referenceDate) {
    }

    record Pair(int id, boolean same, String category, String variations, Person a, Person b) {
    }

    public static void main(String[] args) throws IOException {
        Path target = args.length > 0 ? Path.of(args[0]) : FILE;
        Files.createDirectories(target.toAbsolutePath().getParent());
        List<String> lines = new PersonPairGenerator().csv();
        Files.write(target, lines, StandardCharsets.UTF_8);
        System.out.println("Wrote " + (lines.size() - 1) + " pairs to " + target + " (seed " + SEED + ")");
    }

    List<String> csv() {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        pairs().forEach(p -> lines.add(String.join(",", Integer.toString(p.id()), p.same() ? "same" : "different",
                p.category(), p.variations(), cells(p.a()), cells(p.b()))));
        return lines;
    }

    List<Pair> pairs() {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < CLEAN_POSITIVES; i++) {
            pairs.add(positive(pairs.size() + 1, null));
        }
        for (int i = 0; i < TYPO_POSITIVES; i++) {
            pairs.add(positive(pairs.size() + 1, TYPOS[i % TYPOS.length]));
        }
        for (String category : HARD_NEGATIVES) {
            for (int i = 0; i < NEGATIVES_PER_CATEGORY; i++) {
                pairs.add(negative(pairs.size() + 1, category));
            }
        }
        return pairs;
    }

    private Pair positive(int id, String typo) {
        Identity who = identity();
        LocalDate firstSeen = LocalDate.of(2026, 1, 1).plusDays(random.nextInt(280));
        LocalDate secondSeen = firstSeen.plusDays(1 + random.nextInt(60));
        List<String> variations = new ArrayList<>();
        Person a = record(who, firstSeen, variations);
        Person b = record(who, secondSeen, variations);
        if (typo == null) {
            return new Pair(id, true, "same-person", String.join("+", variations), a, b);
        }
        if (typo.equals("two-errors")) {
            String first = TYPOS[random.nextInt(TYPOS.length - 2)];
            String second = TYPOS[random.nextInt(TYPOS.length - 2)];
            b = TypingErrors.apply(TypingErrors.apply(b, first, random), second, random);
            variations.add(first);
            variations.add(second);
        } else {
            b = TypingErrors.apply(b, typo, random);
        }
        return new Pair(id, true, "typo-" + typo, String.join("+", variations), a, b);
    }

    private Pair negative(int id, String category) {
        Identity first = category.equals("common-name-same-year") ? commonIdentity() : identity();
        Identity second = switch (category) {
            case "twin" -> new Identity(similar(first), first.family(), first.father(), first.sex(), first.birthDate());
            case "sibling" -> new Identity(similar(first), first.family(), first.father(), first.sex(),
                    first.birthDate().plusYears(1 + random.nextInt(6)).withDayOfYear(1 + random.nextInt(360)));
            case "common-name-same-year", "namesake-other-birth-date" -> new Identity(first.given(), first.family(),
                    pick(FATHER, null), first.sex(), otherDay(first.birthDate()));
            case "family-one-letter-apart" -> new Identity(first.given(), TypingErrors.oneLetterApart(first.family(), random),
                    pick(FATHER, null), first.sex(), otherDay(first.birthDate()));
            case "namesake-years-apart" -> new Identity(first.given(), first.family(), pick(FATHER, null), first.sex(),
                    first.birthDate().plusYears((random.nextBoolean() ? 1 : -1) * (4 + random.nextInt(6)))
                            .withDayOfYear(1 + random.nextInt(360)));
            case "common-names-same-age" -> {
                Identity other = identity(first.sex());
                yield new Identity(other.given(), other.family(), other.father(), first.sex(),
                        first.birthDate().plusDays(random.nextInt(300) - 150));
            }
            default -> new Identity(first.given(), first.family(), pick(FATHER, first.father()),
                    first.sex(), first.birthDate().plusDays(random.nextInt(300) - 150));
        };
        LocalDate firstSeen = LocalDate.of(2026, 1, 1).plusDays(random.nextInt(280));
        LocalDate secondSeen = firstSeen.plusDays(1 + random.nextInt(60));
        List<String> variations = new ArrayList<>();
        Person a = record(first, firstSeen, variations);
        Person b = record(second, secondSeen, variations);
        if (category.equals("namesake-other-father")) { // both agencies recorded the patronymic: that is what differs
            a = withPatronymic(a, first);
            b = withPatronymic(b, second);
        }
        if (Set.of("common-name-same-year", "namesake-other-birth-date", "family-one-letter-apart").contains(category)) {
            // both recorded the exact date: without a second attribute on both sides nobody could tell them apart
            a = new Person(a.given(), a.family(), a.patronymic(), a.sex(), first.birthDate(), null, a.referenceDate());
            b = new Person(b.given(), b.family(), b.patronymic(), b.sex(), second.birthDate(), null, b.referenceDate());
        }
        return new Pair(id, false, category, String.join("+", variations), a, b);
    }

    /** One of the five most common given names with one of the five most common family names. */
    private Identity commonIdentity() {
        Identity any = identity();
        String[] pool = any.sex().equals("FEMALE") ? FEMALE : MALE;
        return new Identity(pool[random.nextInt(5)], FAMILY[random.nextInt(5)], any.father(), any.sex(), any.birthDate());
    }

    /** Another day of the same birth year. */
    private LocalDate otherDay(LocalDate born) {
        LocalDate other;
        do {
            other = born.withDayOfYear(1 + random.nextInt(born.lengthOfYear()));
        } while (other.equals(born));
        return other;
    }

    /**
     * A given name of the same sex that shares most bigrams with the person's (Нигина/Нозанин, Шаҳло/Шаҳноза), but
     * at least three edits away: names within two edits are, by the tolerance the issue asks for (two wrong, missing,
     * extra or swapped characters), one name misspelt, and no rule could tell such twins apart (docs/linking.md).
     */
    private String similar(Identity who) {
        String[] pool = who.sex().equals("FEMALE") ? FEMALE : MALE;
        String own = NameNormaliser.spelling(who.given());
        List<String> others = new ArrayList<>(List.of(pool));
        others.removeIf(n -> edits(own, NameNormaliser.spelling(n)) < 3);
        others.sort(java.util.Comparator.comparingDouble((String n) -> -bigramDice(own, NameNormaliser.spelling(n)))
                .thenComparing(n -> n));
        return others.get(random.nextInt(3));
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int edits(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** Plain bigram Dice, independent of the encoder, so the pairs do not change when the encoder does. */
    static double bigramDice(String x, String y) {
        Set<String> a = grams(x);
        Set<String> b = grams(y);
        int both = (int) a.stream().filter(b::contains).count();
        return 2.0 * both / (a.size() + b.size());
    }

    private static Set<String> grams(String name) {
        Set<String> grams = new java.util.HashSet<>();
        for (int i = 0; i + 2 <= name.length() + 2; i++) {
            grams.add(("_" + name + "_").substring(i, i + 2));
        }
        return grams;
    }

    private record Identity(String given, String family, String father, String sex, LocalDate birthDate) {
    }

    private Identity identity() {
        return identity(random.nextInt(100) < 75 ? "FEMALE" : "MALE");
    }

    private Identity identity(String sex) {
        String given = pick(sex.equals("FEMALE") ? FEMALE : MALE, null);
        LocalDate born = LocalDate.of(1970, 1, 1).plusDays(random.nextInt(365 * 38));
        return new Identity(given, pick(FAMILY, null), pick(FATHER, null), sex, born);
    }

    /** How one agency records the person: script, spelling, fields present, birth date or estimate. */
    private Person record(Identity who, LocalDate seen, List<String> variations) {
        Script script = Script.values()[random.nextInt(Script.values().length)];
        variations.add(script.name().toLowerCase(Locale.ROOT));
        String family = familyForm(who);
        if (family.endsWith("зода") && random.nextInt(4) == 0) {
            family = family.replace("зода", "заде");
            variations.add("zade");
        }
        String given = script.render(who.given(), random);
        String familyText = script.render(family, random);
        String patronymic = null;
        if (random.nextInt(100) < 55) {
            patronymic = script.render(patronymicForm(who), random);
        } else {
            variations.add("no-patronymic");
        }
        if (random.nextInt(100) < 10) {
            String swap = given;
            given = familyText;
            familyText = swap;
            variations.add("swapped");
        }
        if (random.nextInt(100) < 10) {
            given = given.toUpperCase(Locale.ROOT);
            familyText = " " + familyText.toUpperCase(Locale.ROOT) + " ";
            variations.add("upper-case");
        }
        if (random.nextInt(100) < 65) {
            return new Person(given, familyText, patronymic, who.sex(), who.birthDate(), null, seen);
        }
        int age = Period.between(who.birthDate(), seen).getYears();
        int error = new int[] {-1, 0, 0, 0, 1}[random.nextInt(5)];
        variations.add(error == 0 ? "age-estimate" : "age-estimate-off-by-one");
        return new Person(given, familyText, patronymic, who.sex(), null, Math.max(0, age + error), seen);
    }

    private Person withPatronymic(Person p, Identity who) {
        return p.patronymic() != null ? p : new Person(p.given(), p.family(), Script.TAJIK_CYRILLIC.render(patronymicForm(who), random),
                p.sex(), p.birthDate(), p.ageEstimate(), p.referenceDate());
    }

    private static String familyForm(Identity who) {
        return who.sex().equals("FEMALE") && !who.family().endsWith("зода") ? who.family() + "а" : who.family();
    }

    private String patronymicForm(Identity who) {
        String father = who.father();
        boolean female = who.sex().equals("FEMALE");
        if (random.nextInt(3) == 0 && !father.equals("Сергей") && !father.equals("Николай")) {
            return father.endsWith("и") ? father.substring(0, father.length() - 1) + "ӣ" : father; // Tajik style
        }
        String stem = father.endsWith("й") ? father.substring(0, father.length() - 1) + "е"
                : father.endsWith("и") || father.endsWith("о") ? father + "е" : father + "о";
        return stem + (female ? "вна" : "вич");
    }

    private String pick(String[] pool, String not) {
        String value;
        do {
            value = pool[random.nextInt(pool.length)];
        } while (value.equals(not));
        return value;
    }

    private static String cells(Person p) {
        return String.join(",", p.given(), p.family(), p.patronymic() == null ? "" : p.patronymic(), p.sex(),
                p.birthDate() == null ? "" : p.birthDate().toString(),
                p.ageEstimate() == null ? "" : p.ageEstimate().toString(), p.referenceDate().toString());
    }

    /** The ways agencies write a Tajik Cyrillic name. */
    enum Script {
        TAJIK_CYRILLIC, RUSSIAN_CYRILLIC, TAJIK_LATIN, PASSPORT_LATIN, LOOSE_LATIN;

        String render(String tajik, Random random) {
            return switch (this) {
                case TAJIK_CYRILLIC -> tajik;
                case RUSSIAN_CYRILLIC -> russian(tajik);
                case TAJIK_LATIN -> capitalise(latin(tajik, false));
                case PASSPORT_LATIN -> capitalise(latin(russian(tajik), true));
                case LOOSE_LATIN -> capitalise(loose(latin(tajik, false), random));
            };
        }

        static String russian(String tajik) {
            return tajik.replace("ҳ", "х").replace("Ҳ", "Х").replace("қ", "к").replace("Қ", "К").replace("ғ", "г")
                    .replace("Ғ", "Г").replace("ҷ", "дж").replace("Ҷ", "Дж").replace("ӣ", "ий").replace("ӯ", "у")
                    .replace("Ӯ", "У");
        }

        private static String latin(String cyrillic, boolean passport) {
            StringBuilder out = new StringBuilder();
            for (char c : cyrillic.toLowerCase(Locale.ROOT).toCharArray()) {
                out.append(switch (c) {
                    case 'а' -> "a"; case 'б' -> "b"; case 'в' -> "v"; case 'г' -> "g"; case 'ғ' -> "gh"; case 'д' -> "d";
                    case 'е' -> "e"; case 'ё' -> "yo"; case 'ж' -> "zh"; case 'з' -> "z"; case 'и', 'ӣ' -> "i";
                    case 'й' -> passport ? "i" : "y"; case 'к' -> "k"; case 'қ' -> "q"; case 'л' -> "l"; case 'м' -> "m";
                    case 'н' -> "n"; case 'о' -> "o"; case 'п' -> "p"; case 'р' -> "r"; case 'с' -> "s"; case 'т' -> "t";
                    case 'у', 'ӯ' -> "u"; case 'ф' -> "f"; case 'х' -> "kh"; case 'ҳ' -> "h"; case 'ц' -> "ts";
                    case 'ч' -> "ch"; case 'ҷ' -> "j"; case 'ш' -> "sh"; case 'щ' -> "shch"; case 'ы' -> "y";
                    case 'ъ', 'ь' -> ""; case 'э' -> "e"; case 'ю' -> passport ? "iu" : "yu"; case 'я' -> passport ? "ia" : "ya";
                    default -> String.valueOf(c);
                });
            }
            return out.toString();
        }

        private static String loose(String latin, Random random) {
            String text = latin.replace("kh", random.nextBoolean() ? "x" : "h").replace("j", "dj");
            if (random.nextBoolean()) {
                text = text.replaceAll("([bcdfgklmnprstvz])\\1", "$1");
            } else {
                text = text.replaceFirst("([aeiou])([lmnr])([aeiou])", "$1$2$2$3");
            }
            return text.replace("iy", "y");
        }

        private static String capitalise(String text) {
            return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
        }
    }
}
