package org.referralbus.dedupe;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One hardened encoding of a person for one possible birth year (see {@link PersonEncoder}): never a name, never
 * an unkeyed hash. Equal people give similar, not equal, encodings.
 *
 * @param names        the names filter: XOR of the given and the family name's keyed bigram filters, 2,048 bits
 * @param patronymic   the patronymic filter, 256 bits; null if no patronymic was recorded
 * @param birthDateTag a keyed tag of the full birth date; null if only an age estimate was recorded
 * @param blocks       the LSH block keys of the names filter: records sharing one are compared
 * @param fields       for a probe only (never stored): the bits each recorded name sets in {@link #names}, so the
 *                     matcher can ask whether <em>each</em> of the new record's names is found in a stored filter
 */
record PersonEncoding(long[] names, long[] patronymic, Long birthDateTag, long[] blocks, List<long[]> fields,
                      IntFunction<List<long[]>> variants) {

    PersonEncoding {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** As read from the store: no field filters, no variants. */
    static PersonEncoding stored(long[] names, long[] patronymic, Long birthDateTag, long[] blocks) {
        return new PersonEncoding(names, patronymic, birthDateTag, blocks, List.of(), null);
    }

    /** What is stored: the probe's field filters dropped. */
    PersonEncoding stored() {
        return stored(names, patronymic, birthDateTag, blocks);
    }

    /** Like {@link #weakestNameIn}, each name also allowed one edit (its best spelling one edit away counts). */
    double weakestNameWithinOneEditIn(long[] stored) {
        return weakestNameWithinOneEditIn(stored, 0);
    }

    /**
     * The same, but it may stop as soon as one name's best stays below {@code floor}: the answer is then below
     * {@code floor} (not necessarily the least), which is all a rejection needs. The names are tried weakest first,
     * and a name's spellings are computed only when it is tried, so a namesake with another given name costs the
     * spellings of one name, not of both.
     */
    double weakestNameWithinOneEditIn(long[] stored, double floor) {
        int count = fields.size();
        long[][] rests = new long[count][];
        double[] direct = new double[count];
        Integer[] order = new Integer[count];
        for (int f = 0; f < count; f++) {
            rests[f] = rest(stored, f);
            direct[f] = dice(fields.get(f), rests[f]);
            order[f] = f;
        }
        Arrays.sort(order, (a, b) -> Double.compare(direct[a], direct[b]));
        double weakest = 1;
        for (int f : order) {
            double best = direct[f];
            if (variants != null && best < 1) {
                for (long[] variant : variants.apply(f)) {
                    best = Math.max(best, dice(variant, rests[f]));
                }
            }
            weakest = Math.min(weakest, best);
            if (weakest < floor) {
                return weakest;
            }
        }
        return weakest;
    }

    private long[] rest(long[] stored, int f) {
        long[] rest = stored.clone();
        for (int g = 0; g < fields.size(); g++) {
            if (g != f) {
                for (int i = 0; i < rest.length; i++) {
                    rest[i] ^= fields.get(g)[i];
                }
            }
        }
        return rest;
    }

    /**
     * The least Dice, over the new record's names, between one name's filter and what the stored filter holds for
     * it: the stored filter is the XOR of its given and family filters, so XOR-ing the new record's other name out of
     * it leaves the stored name that corresponds (whichever field it was recorded in). A twin with another given name
     * scores low here however alike the rest is.
     */
    double weakestNameIn(long[] stored) {
        double weakest = 1;
        for (int f = 0; f < fields.size(); f++) {
            weakest = Math.min(weakest, dice(fields.get(f), rest(stored, f)));
        }
        return weakest;
    }

    /** Dice coefficient of two bit sets: 2|a∧b| / (|a| + |b|). */
    static double dice(long[] a, long[] b) {
        int both = 0;
        int ones = 0;
        for (int i = 0; i < a.length; i++) {
            both += Long.bitCount(a[i] & b[i]);
            ones += Long.bitCount(a[i]) + Long.bitCount(b[i]);
        }
        return ones == 0 ? 0 : 2.0 * both / ones;
    }

    boolean sharesBlockWith(PersonEncoding other) {
        for (long block : blocks) {
            for (long theirs : other.blocks) {
                if (block == theirs) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "PersonEncoding[" + Arrays.stream(names).map(Long::bitCount).sum() + " bits set]";
    }
}
