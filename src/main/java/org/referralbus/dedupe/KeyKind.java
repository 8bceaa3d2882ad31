package org.referralbus.dedupe;

/**
 * The kinds of person key. Each is an HMAC over the kind's name and its attributes, so keys of different kinds
 * never collide. "Names" is the unordered pair {given, family} (agencies swap the two fields), always with the sex.
 */
enum KeyKind {
    /** Canonical names, sex, birth year. */
    NAME,
    /** Name skeletons (vowels dropped), sex, birth year: only trusted with a patronymic or birth date agreeing. */
    SKELETON,
    /** Skeletons plus the patronymic's skeleton. */
    PATRONYMIC,
    /** Skeletons, sex, year and "a patronymic is known": agreeing without {@link #PATRONYMIC} means two fathers. */
    PATRONYMIC_KNOWN,
    /** Skeletons, sex and the full birth date. */
    BIRTH_DATE,
    /** Skeletons, sex, year and "a birth date is known": agreeing without {@link #BIRTH_DATE} means two birthdays. */
    BIRTH_DATE_KNOWN
}
