package org.referralbus.statistics;

import java.util.ArrayList;
import java.util.List;

/**
 * The span of a set of 0/1 vectors, to ask whether a vector is a linear combination of them: whether a count is
 * determined by counts already published. Implementation note: exact arithmetic modulo the Mersenne prime 2^61-1,
 * rows kept in reduced row-echelon form. Over the rationals a vector in the span is in it modulo p too; the converse
 * fails only if p divides a minor of the matrix, which for tables of this size is not a practical concern, and the
 * error would be on the side of suppressing more.
 */
final class LinearSpan {

    private static final long P = (1L << 61) - 1;

    private final List<long[]> rows = new ArrayList<>();
    private final List<Integer> pivots = new ArrayList<>();

    /** An independent copy, to extend without changing this one. */
    LinearSpan copy() {
        LinearSpan copy = new LinearSpan();
        rows.forEach(row -> copy.rows.add(row.clone()));
        copy.pivots.addAll(pivots);
        return copy;
    }

    void add(long[] vector) {
        long[] reduced = reduce(vector);
        int pivot = firstNonZero(reduced);
        if (pivot < 0) {
            return;
        }
        scale(reduced, inverse(reduced[pivot]));
        for (long[] row : rows) {
            if (row[pivot] != 0) {
                subtract(row, reduced, row[pivot]);
            }
        }
        rows.add(reduced);
        pivots.add(pivot);
    }

    boolean contains(long[] vector) {
        return firstNonZero(reduce(vector)) < 0;
    }

    private long[] reduce(long[] vector) {
        long[] v = vector.clone();
        for (int i = 0; i < rows.size(); i++) {
            long factor = v[pivots.get(i)];
            if (factor != 0) {
                subtract(v, rows.get(i), factor);
            }
        }
        return v;
    }

    private static void subtract(long[] target, long[] row, long factor) {
        for (int j = 0; j < target.length; j++) {
            if (row[j] != 0) {
                target[j] = Math.floorMod(target[j] - multiply(row[j], factor), P);
            }
        }
    }

    private static void scale(long[] v, long factor) {
        for (int j = 0; j < v.length; j++) {
            v[j] = multiply(v[j], factor);
        }
    }

    private static int firstNonZero(long[] v) {
        for (int j = 0; j < v.length; j++) {
            if (v[j] != 0) {
                return j;
            }
        }
        return -1;
    }

    /** a·b mod 2^61-1 for a, b below 2^61: the 122-bit product folded at bit 61. */
    static long multiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        long folded = (low & P) + ((low >>> 61) | (high << 3));
        return folded >= P ? folded - P : folded;
    }

    private static long inverse(long a) {
        long result = 1;
        long base = a;
        for (long e = P - 2; e > 0; e >>= 1) {
            if ((e & 1) == 1) {
                result = multiply(result, base);
            }
            base = multiply(base, base);
        }
        return result;
    }
}
