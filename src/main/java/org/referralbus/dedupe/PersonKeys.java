package org.referralbus.dedupe;

import java.util.Map;

/**
 * The keyed hashes of one person.
 *
 * @param stored the keys remembered for the person's case (birth year as recorded or estimated)
 * @param probes the keys looked up to find an earlier case: the stored ones for the birth year and the years either
 *               side of it, so a birth date and an age estimate one year off still meet
 */
record PersonKeys(Map<String, KeyKind> stored, Map<String, KeyKind> probes) {
}
