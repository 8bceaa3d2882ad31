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
 * by up to a year, and in a few cases a typing error. Negatives are the hard ones: siblings (same family name and
 * father, other given name), namesakes born two or more years apart, different people with common names and the
 * same birth year, namesakes of the same age with different fathers or different birth dates.
 */
public final class PersonPairGenerator {

    public static final long SEED = 20261128L;
    public static final int POSITIVES = 160;
    public static final int NEGATIVES = 160;
    public static final Path FILE = Path.of("src/test/resources/dedupe/person-pairs.csv");

    static final String HEADER = "id,label,category,"
            + "a_given,a_family,a_patronymic,a_sex,a_birth_date,a_age_estimate,a_reference_date,"
            + "b_given,b_family,b_patronymic,b_sex,b_birth_date,b_age_estimate,b_reference_date";

    private static final String[] FEMALE = {"Нигина", "Меҳрангез", "Фотима", "Зарина", "Мадина", "Шаҳло", "Гулноза",
            "Дилноза", "Малика", "Парвина", "Сабина", "Ситора", "Таҳмина", "Фарангис", "Мунира", "Нозанин", "Манижа",
            "Зебо", "Шабнам", "Гулчеҳра", "Рухшона", "Мавҷуда", "Ҳилола", "Зулфия", "Барно", "Моҳира", "Шаҳноза",
            "Дилором", "Қумри", "Ғунча", "Ольга", "Наталья", "Елена", "Светлана", "Ирина"};
    private static final String[] MALE = {"Фаррух", "Ҷамшед", "Рустам", "Бахтиёр", "Далер", "Фирдавс", "Суҳроб",
            "Шаҳриёр", "Умед", "Парвиз", "Абдулло", "Муҳаммад", "Исмоил", "Аҳмад", "Искандар", "Комрон", "Хуршед",
            "Ҳусейн", "Қурбон", "Ғайрат", "Шерзод", "Баҳром", "Зафар", "Илҳом", "Азиз", "Нуриддин", "Сайфулло",
            "Сергей", "Алексей", "Дмитрий", "Андрей"};
    /** Family names in the male form; the female form adds -а (or keeps -зода). */
    private static final String[] FAMILY = {"Раҳимов", "Саидов", "Каримов", "Назаров", "Шарипов", "Раҷабов",
            "Ҳасанов", "Давлатов", "Қодиров", "Ғафуров", "Юсупов", "Азимов", "Сафаров", "Мирзоев", "Алиев", "Ҷӯраев",
            "Холов", "Одинаев", "Бобоев", "Исмоилов", "Ҳамроев", "Латипов", "Мақсудов", "Раҳимзода", "Каримзода",
            "Саидзода", "Назарзода", "Шарифзода", "Ҳасанзода", "Иванов", "Петров", "Кузнецов"};
    /** Fathers' names, as used in patronymics (Қурбоналиевна / Қурбоналӣ). */
    private static final String[] FATHER = {"Қурбонали", "Абдулло", "Сафар", "Ҳасан", "Давлат", "Раҳим", "Исмоил",
            "Назар", "Ҷамшед", "Шариф", "Юсуф", "Маҳмад", "Нурулло", "Ғулом", "Хол", "Бобо", "Сергей", "Николай"};

    private final Random random = new Random(SEED);

    record Person(String given, String family, String patronymic, String sex, LocalDate birthDate,
                  Integer ageEstimate, LocalDate referenceDate) {
    }

    record Pair(int id, boolean same, String category, Person a, Person b) {
    }

    public static void main(String[] args) throws IOException {
        Path target = args.length > 0 ? Path.of(args[0]) : FILE;
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.write(target, new PersonPairGenerator().csv(), StandardCharsets.UTF_8);
        System.out.println("Wrote " + (POSITIVES + NEGATIVES) + " pairs to " + target + " (seed " + SEED + ")");
    }

    List<String> csv() {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        pairs().forEach(p -> lines.add(String.join(",", Integer.toString(p.id()), p.same() ? "same" : "different",
                p.category(), cells(p.a()), cells(p.b()))));
        return lines;
    }

    List<Pair> pairs() {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < POSITIVES; i++) {
            pairs.add(positive(pairs.size() + 1));
        }
        String[] hard = {"sibling", "namesake-years-apart", "common-names-same-age", "namesake-other-father",
                "namesake-other-birth-date"};
        for (int i = 0; i < NEGATIVES; i++) {
            pairs.add(negative(pairs.size() + 1, hard[i % hard.length]));
        }
        return pairs;
    }

    private Pair positive(int id) {
        Identity who = identity();
        LocalDate firstSeen = LocalDate.of(2026, 1, 1).plusDays(random.nextInt(280));
        LocalDate secondSeen = firstSeen.plusDays(1 + random.nextInt(60));
        List<String> variations = new ArrayList<>();
        Person a = record(who, firstSeen, variations);
        Person b = record(who, secondSeen, variations);
        if (random.nextInt(100) < 4) {
            b = new Person(typo(b.given()), b.family(), b.patronymic(), b.sex(), b.birthDate(), b.ageEstimate(), b.referenceDate());
            variations.add("typo");
        }
        return new Pair(id, true, "same-person" + (variations.isEmpty() ? "" : ":" + String.join("+", variations)), a, b);
    }

    private Pair negative(int id, String category) {
        Identity first = identity();
        Identity second = switch (category) {
            case "sibling" -> new Identity(pick(first.sex().equals("FEMALE") ? FEMALE : MALE, first.given()),
                    first.family(), first.father(), first.sex(), first.birthDate().plusYears(1 + random.nextInt(6))
                    .withDayOfYear(1 + random.nextInt(360)));
            case "namesake-years-apart" -> new Identity(first.given(), first.family(), pick(FATHER, null), first.sex(),
                    first.birthDate().plusYears((random.nextBoolean() ? 1 : -1) * (3 + random.nextInt(6)))
                            .withDayOfYear(1 + random.nextInt(360)));
            case "common-names-same-age" -> {
                Identity other = identity(first.sex());
                yield new Identity(other.given(), other.family(), other.father(), first.sex(),
                        first.birthDate().plusDays(random.nextInt(300) - 150));
            }
            case "namesake-other-father" -> new Identity(first.given(), first.family(), pick(FATHER, first.father()),
                    first.sex(), first.birthDate().plusDays(random.nextInt(300) - 150));
            default -> new Identity(first.given(), first.family(), pick(FATHER, null), first.sex(),
                    first.birthDate().withDayOfYear(1 + random.nextInt(360)));
        };
        LocalDate firstSeen = LocalDate.of(2026, 1, 1).plusDays(random.nextInt(280));
        LocalDate secondSeen = firstSeen.plusDays(1 + random.nextInt(60));
        List<String> ignored = new ArrayList<>();
        Person a = record(first, firstSeen, ignored);
        Person b = record(second, secondSeen, ignored);
        if (category.equals("namesake-other-father")) { // both agencies recorded the patronymic: that is what differs
            a = withPatronymic(a, first);
            b = withPatronymic(b, second);
        }
        if (category.equals("namesake-other-birth-date")) { // both recorded the exact date
            a = new Person(a.given(), a.family(), a.patronymic(), a.sex(), first.birthDate(), null, a.referenceDate());
            b = new Person(b.given(), b.family(), b.patronymic(), b.sex(), second.birthDate(), null, b.referenceDate());
        }
        return new Pair(id, false, category, a, b);
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

    private String typo(String name) {
        char[] chars = name.toCharArray();
        int at = 1 + random.nextInt(Math.max(1, chars.length - 1));
        if (at < chars.length) {
            chars[at] = Character.isUpperCase(chars[at]) ? 'Z' : (chars[at] >= 'a' && chars[at] <= 'z' ? 'z' : 'з');
        }
        return new String(chars);
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
