package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.referralbus.schema.referral.Sex;

/**
 * Measures the person matcher on the labelled synthetic pairs of {@code person-pairs.csv} (see
 * {@link PersonPairGenerator} for how they are made and regenerated) and holds it to the targets: precision ≥ 0.99
 * (a false link sends a person's file to the wrong shelter), recall ≥ 0.9. Prints the figures and every miss.
 */
class PersonMatcherAccuracyTest {

    private final PersonKeyScheme scheme = new PersonKeyScheme("accuracy-test-secret-32-bytes-long!!".getBytes(StandardCharsets.UTF_8));

    @Test
    void matcherReachesPrecisionAndRecallTargetsOnTheLabelledPairs() throws Exception {
        if (Boolean.getBoolean("regenerate-person-pairs")) {
            PersonPairGenerator.main(new String[0]);
        }
        List<String> lines = Files.readAllLines(PersonPairGenerator.FILE, StandardCharsets.UTF_8);
        assertThat(lines).as("committed pairs = generator output for seed " + PersonPairGenerator.SEED)
                .isEqualTo(new PersonPairGenerator().csv());
        assertThat(lines).hasSizeGreaterThan(200);

        int tp = 0, fp = 0, fn = 0, tn = 0;
        List<String> errors = new ArrayList<>();
        Map<String, int[]> byCategory = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            boolean same = c[1].equals("same");
            boolean linked = PersonMatcher.matches(agreeing(person(c, 3), person(c, 10)));
            String category = c[2].contains(":") ? c[2].substring(0, c[2].indexOf(':')) : c[2];
            int[] counts = byCategory.computeIfAbsent(category, k -> new int[2]);
            counts[0]++;
            if (linked == same) {
                counts[1]++;
            }
            if (same && linked) {
                tp++;
            } else if (!same && linked) {
                fp++;
                errors.add("false link: " + c[0] + " " + c[2]);
            } else if (same) {
                fn++;
                errors.add("missed: " + c[0] + " " + c[2]);
            } else {
                tn++;
            }
        }
        double precision = tp / (double) (tp + fp);
        double recall = tp / (double) (tp + fn);
        System.out.printf("Person matcher on %d pairs (seed %d): TP=%d FP=%d FN=%d TN=%d precision=%.4f recall=%.4f%n",
                tp + fp + fn + tn, PersonPairGenerator.SEED, tp, fp, fn, tn, precision, recall);
        byCategory.forEach((k, v) -> System.out.printf("  %-28s %3d pairs, %3d right%n", k, v[0], v[1]));
        errors.forEach(e -> System.out.println("  " + e));

        assertThat(tp + fn).isGreaterThanOrEqualTo(100);
        assertThat(fp + tn).isGreaterThanOrEqualTo(100);
        assertThat(precision).as("precision").isGreaterThanOrEqualTo(0.99);
        assertThat(recall).as("recall").isGreaterThanOrEqualTo(0.9);
    }

    /** The kinds of key the later record (b) finds among the earlier record's (a) stored keys. */
    private Set<KeyKind> agreeing(PersonIdentity earlier, PersonIdentity later) {
        Map<String, KeyKind> stored = scheme.keysFor(earlier).stored();
        Set<KeyKind> kinds = EnumSet.noneOf(KeyKind.class);
        scheme.keysFor(later).probes().forEach((hash, kind) -> {
            if (stored.containsKey(hash)) {
                kinds.add(kind);
            }
        });
        return kinds;
    }

    private static PersonIdentity person(String[] c, int from) {
        return new PersonIdentity(c[from], c[from + 1], c[from + 2].isEmpty() ? null : c[from + 2], Sex.fromValue(c[from + 3]),
                c[from + 4].isEmpty() ? null : LocalDate.parse(c[from + 4]),
                c[from + 5].isEmpty() ? null : Integer.valueOf(c[from + 5]), LocalDate.parse(c[from + 6]));
    }
}
