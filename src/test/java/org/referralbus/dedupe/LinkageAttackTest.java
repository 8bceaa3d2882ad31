package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.referralbus.schema.referral.Sex;

/**
 * The attack of issue 16: an attacker holds every stored encoding (a copy of the database, not the secret) and a public
 * list of name frequencies, here built from {@link PersonPairGenerator}'s name lists with Zipf frequencies (the first
 * name of each list the most common). 20,000 synthetic people are drawn from that very distribution, so the attacker's
 * list is exact: the best case for the attacker. Two attacks, each on the chosen encoding and on an unhardened one
 * (keyed CLK without salt, folding or random bits):
 * <ol>
 *   <li><b>frequency alignment</b>: cluster near-identical encodings (Dice ≥ 0.9, found through the stored LSH blocks
 *       as the bus finds candidates), rank clusters by size, give the k-th most frequent full name to the k-th
 *       largest cluster;</li>
 *   <li><b>pattern mining</b>: take the 100 largest aligned clusters as known, learn for each bigram the bits every
 *       known encoding containing it sets, then name every encoding whose bits one public name's predicted bits
 *       explain (Dice ≥ 0.8, best by a margin).</li>
 * </ol>
 * Re-identified = the attacker's name for an encoding is the person's true given and family name. Also reported, not
 * held to the target: a salt-aware attacker who is told every record's sex and birth year (which the store does not
 * hold) and aligns frequencies within each group. Figures in docs/linking.md.
 */
class LinkageAttackTest {

    private static final int PEOPLE = 20_000;
    private static final int SEEDS = 100;
    private static final byte[] SECRET = "attack-test-secret-32-bytes-long!!!!".getBytes(StandardCharsets.UTF_8);

    record Person(String given, String family, Sex sex, int year) {
        String name() {
            return given + " " + family;
        }
    }

    @Test
    void frequencyAndPatternAttacksReidentifyAtMostOnePercentOfChosenEncodings() {
        Random random = new Random(16);
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            Sex sex = random.nextInt(100) < 75 ? Sex.FEMALE : Sex.MALE;
            String[] givens = sex == Sex.FEMALE ? PersonPairGenerator.FEMALE : PersonPairGenerator.MALE;
            String family = PersonPairGenerator.FAMILY[zipf(PersonPairGenerator.FAMILY.length, random)];
            String familyForm = sex == Sex.FEMALE && !family.endsWith("зода") ? family + "а" : family;
            people.add(new Person(givens[zipf(givens.length, random)], familyForm, sex, 1970 + random.nextInt(38)));
        }
        List<String> publicList = publicFrequencyList();

        Map<String, Double> results = new HashMap<>();
        for (PersonEncoder.Hardening hardening : List.of(PersonEncoder.Hardening.CHOSEN, PersonEncoder.Hardening.UNHARDENED)) {
            PersonEncoder encoder = new PersonEncoder(SECRET, hardening, new Random(7));
            List<PersonEncoding> stored = people.stream().map(p -> encoder.encode(new PersonIdentity(p.given(), p.family(),
                    null, p.sex(), LocalDate.of(p.year(), 6, 1), null, LocalDate.of(2026, 12, 1)), p.year()).stored()).toList();
            String label = hardening == PersonEncoder.Hardening.CHOSEN ? "chosen" : "unhardened";
            List<List<Integer>> clusters = clusters(stored, allIndices(stored.size()));
            String[] guesses = new String[stored.size()];
            align(clusters, publicList, guesses);
            results.put(label + " frequency", share(guesses, people));
            patternMining(stored, clusters, publicList, guesses);
            results.put(label + " frequency+pattern", share(guesses, people));
            results.put(label + " salt-aware frequency", saltAware(stored, people, publicList));
        }
        System.out.println("| attack | chosen encoding | unhardened encoding |");
        System.out.println("|---|---|---|");
        for (String attack : List.of("frequency", "frequency+pattern", "salt-aware frequency")) {
            System.out.printf(Locale.ROOT, "| %s | %.2f %% | %.2f %% |%n", attack,
                    100 * results.get("chosen " + attack), 100 * results.get("unhardened " + attack));
        }

        assertThat(results.get("unhardened frequency+pattern")).as("the attack works on an unhardened encoding")
                .isGreaterThan(0.05);
        assertThat(results.get("chosen frequency")).as("chosen, frequency attack").isLessThanOrEqualTo(0.01);
        assertThat(results.get("chosen frequency+pattern")).as("chosen, frequency and pattern attack").isLessThanOrEqualTo(0.01);
    }

    /** Full names (given + family, both forms of family names by sex), most frequent first, as an attacker would build it. */
    static List<String> publicFrequencyList() {
        Map<String, Double> frequency = new HashMap<>();
        for (Sex sex : List.of(Sex.FEMALE, Sex.MALE)) {
            String[] givens = sex == Sex.FEMALE ? PersonPairGenerator.FEMALE : PersonPairGenerator.MALE;
            double share = sex == Sex.FEMALE ? 0.75 : 0.25;
            for (int g = 0; g < givens.length; g++) {
                for (int f = 0; f < PersonPairGenerator.FAMILY.length; f++) {
                    String family = PersonPairGenerator.FAMILY[f];
                    String form = sex == Sex.FEMALE && !family.endsWith("зода") ? family + "а" : family;
                    frequency.merge(givens[g] + " " + form, share * weight(g, givens.length)
                            * weight(f, PersonPairGenerator.FAMILY.length), Double::sum);
                }
            }
        }
        return frequency.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(Map.Entry::getKey).toList();
    }

    private static double weight(int rank, int size) {
        double total = 0;
        for (int i = 0; i < size; i++) {
            total += 1.0 / (i + 1);
        }
        return 1.0 / (rank + 1) / total;
    }

    private static int zipf(int size, Random random) {
        double u = random.nextDouble();
        for (int i = 0; i < size; i++) {
            u -= weight(i, size);
            if (u <= 0) {
                return i;
            }
        }
        return size - 1;
    }

    private static List<Integer> allIndices(int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    /** Union-find over pairs that share a stored LSH block and have Dice ≥ 0.9; largest cluster first. */
    static List<List<Integer>> clusters(List<PersonEncoding> stored, List<Integer> members) {
        int[] parent = new int[stored.size()];
        Arrays.setAll(parent, i -> i);
        Map<Long, List<Integer>> buckets = new HashMap<>();
        for (int i : members) {
            for (long block : stored.get(i).blocks()) {
                buckets.computeIfAbsent(block, b -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> bucket : buckets.values()) {
            for (int x = 0; x < bucket.size(); x++) {
                for (int y = x + 1; y < bucket.size() && y < x + 200; y++) {
                    int a = bucket.get(x);
                    int b = bucket.get(y);
                    if (find(parent, a) != find(parent, b)
                            && PersonEncoding.dice(stored.get(a).names(), stored.get(b).names()) >= 0.9) {
                        parent[find(parent, a)] = find(parent, b);
                    }
                }
            }
        }
        Map<Integer, List<Integer>> byRoot = new HashMap<>();
        for (int i : members) {
            byRoot.computeIfAbsent(find(parent, i), r -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> clusters = new ArrayList<>(byRoot.values());
        clusters.sort(Comparator.comparingInt((List<Integer> c) -> -c.size()).thenComparingInt(c -> c.get(0)));
        return clusters;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void align(List<List<Integer>> clusters, List<String> publicList, String[] guesses) {
        for (int k = 0; k < clusters.size() && k < publicList.size(); k++) {
            for (int i : clusters.get(k)) {
                guesses[i] = publicList.get(k);
            }
        }
    }

    /**
     * Learns each bigram's bits (seen in two or more) from the 100 largest aligned clusters, then names any encoding a public name's
     * predicted bits explain clearly better than any other name's.
     */
    private static void patternMining(List<PersonEncoding> stored, List<List<Integer>> clusters, List<String> publicList,
                                      String[] guesses) {
        Map<String, BitSet> learned = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int k = 0; k < Math.min(SEEDS, clusters.size()); k++) {
            BitSet bits = BitSet.valueOf(stored.get(clusters.get(k).get(0)).names());
            for (String gram : grams(publicList.get(k))) {
                seen.merge(gram, 1, Integer::sum);
                learned.merge(gram, (BitSet) bits.clone(), (a, b) -> {
                    a.and(b);
                    return a;
                });
            }
        }
        learned.keySet().removeIf(gram -> seen.get(gram) < 2);
        Map<String, BitSet> predicted = new HashMap<>();
        for (String name : publicList) {
            BitSet bits = new BitSet();
            boolean complete = true;
            for (String gram : grams(name)) {
                BitSet known = learned.get(gram);
                if (known == null) {
                    complete = false;
                    break;
                }
                bits.or(known);
            }
            if (complete && !bits.isEmpty()) {
                predicted.put(name, bits);
            }
        }
        Set<Integer> seeds = new java.util.HashSet<>();
        clusters.stream().limit(SEEDS).forEach(seeds::addAll);
        for (int i = 0; i < stored.size(); i++) {
            if (seeds.contains(i)) {
                continue;
            }
            BitSet encoding = BitSet.valueOf(stored.get(i).names());
            String best = null;
            double bestScore = 0;
            double second = 0;
            for (Map.Entry<String, BitSet> candidate : predicted.entrySet()) {
                BitSet both = (BitSet) candidate.getValue().clone();
                both.and(encoding);
                double score = 2.0 * both.cardinality() / (candidate.getValue().cardinality() + encoding.cardinality());
                if (score > bestScore) {
                    second = bestScore;
                    bestScore = score;
                    best = candidate.getKey();
                } else if (score > second) {
                    second = score;
                }
            }
            if (best != null && bestScore >= 0.8 && bestScore - second >= 0.05) {
                guesses[i] = best;
            }
        }
    }

    private static Set<String> grams(String fullName) {
        Set<String> grams = new LinkedHashSet<>();
        for (String part : fullName.split(" ")) {
            grams.addAll(PersonEncoder.bigrams(NameNormaliser.spelling(part)));
        }
        return grams;
    }

    /** Frequency alignment within each (sex, birth year) group: the attacker is told what the salt is made of. */
    private static double saltAware(List<PersonEncoding> stored, List<Person> people, List<String> publicList) {
        Map<String, List<Integer>> groups = new HashMap<>();
        for (int i = 0; i < people.size(); i++) {
            groups.computeIfAbsent(people.get(i).sex() + "/" + people.get(i).year(), g -> new ArrayList<>()).add(i);
        }
        String[] guesses = new String[stored.size()];
        for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
            boolean female = group.getKey().startsWith("FEMALE");
            List<String> sexList = publicList.stream().filter(n -> List.of(female ? PersonPairGenerator.FEMALE
                    : PersonPairGenerator.MALE).contains(n.split(" ")[0])).toList();
            align(clusters(stored, group.getValue()), sexList, guesses);
        }
        return share(guesses, people);
    }

    private static double share(String[] guesses, List<Person> people) {
        int right = 0;
        for (int i = 0; i < guesses.length; i++) {
            right += people.get(i).name().equals(guesses[i]) ? 1 : 0;
        }
        return right / (double) guesses.length;
    }
}
