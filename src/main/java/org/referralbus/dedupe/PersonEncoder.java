package org.referralbus.dedupe;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.referralbus.schema.referral.Sex;

/**
 * Implementation note: a person becomes a keyed, salted Bloom-filter encoding (CLK, Schnell et al.), one per possible
 * birth year, hardened against the frequency and pattern attacks published on plain CLKs:
 * <ul>
 *   <li><b>Keyed</b>: bigram positions are HMAC-SHA256 under the person-key secret; without it nobody can encode a
 *       guessed name to compare.</li>
 *   <li><b>Salted per record</b> by exact attributes: the HMAC key of a record is HMAC(secret, sex, birth year), so
 *       the same name in another birth year or of the other sex sets unrelated bits. Frequent names no longer make
 *       frequent bit patterns, and what an attacker learns about one salt does not carry to another. Probes are
 *       encoded for the years either side, so the year window and the sex stay exact rules.</li>
 *   <li><b>XOR-folded</b> (4,096 bits to 2,048, 512 to 256 for patronymics): each stored bit mixes two positions, so
 *       no bit belongs to one bigram.</li>
 *   <li><b>Random bits</b>: 0.2 % of the bits (four of 2,048) are set from a secure random source, fresh for every
 *       encoding, so the same person never gives the same encoding twice and equal encodings cannot be counted.</li>
 *   <li><b>One filter for both names</b>: the stored names filter is the XOR of the given and the family name's
 *       filters, so no single name can be clustered on its own; XOR is symmetric, so swapped fields agree, and a
 *       probe that knows its own names XORs one out to compare the other ({@link PersonEncoding#weakestNameIn}).</li>
 * </ul>
 * Bigrams are padded and unordered (a swap of two letters changes two, not three). The birth date is a 64-bit keyed
 * tag under the record's salt key. LSH blocks are MinHash bands over the set bits, with hash functions derived from
 * the secret. Nothing here is stored unkeyed; the probe's per-name filters and spellings live only in memory.
 */
final class PersonEncoder {

    static final int NAME_BITS = 2048;
    static final int PATRONYMIC_BITS = 256;
    static final int BANDS = 32;
    static final int ROWS = 4;
    private static final int NAME_HASHES = 12;
    private static final int PATRONYMIC_HASHES = 8;
    private static final String SEPARATOR = "\u001f";

    /** How an encoding is hardened; {@link #CHOSEN} in the product, the others for the attack test. */
    record Hardening(boolean salted, boolean folded, double randomBits) {
        static final Hardening CHOSEN = new Hardening(true, true, 0.002);
        static final Hardening UNHARDENED = new Hardening(false, false, 0);
    }

    private final SecretKeySpec secret;
    private final Hardening hardening;
    private final RandomGenerator random;
    private final String keyId;
    /** The MinHash functions' values, {@code minHashByBit[bit][function]}. */
    private final int[][] minHashByBit;
    /**
     * For each MinHash function, the bits in increasing order of its value ({@code bitsByHash[function][rank]}, ties by
     * bit): the first bit set in that order holds the function's minimum.
     */
    private final short[][] bitsByHash;

    PersonEncoder(byte[] secret, Hardening hardening, RandomGenerator random) {
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
        this.hardening = hardening;
        this.random = random;
        byte[] id = hmac(this.secret, "key-id");
        this.keyId = HexFormat.of().formatHex(id, 0, 8);
        SplittableRandom lsh = new SplittableRandom(toLong(hmac(this.secret, "lsh"), 0));
        // Drawn function by function (the order that fixes every stored block), kept bit by bit (blocks reads them so).
        this.minHashByBit = new int[NAME_BITS][BANDS * ROWS];
        for (int function = 0; function < BANDS * ROWS; function++) {
            for (int bit = 0; bit < NAME_BITS; bit++) {
                minHashByBit[bit][function] = lsh.nextInt();
            }
        }
        this.bitsByHash = new short[BANDS * ROWS][];
        long[] ranked = new long[NAME_BITS];
        for (int function = 0; function < BANDS * ROWS; function++) {
            for (int bit = 0; bit < NAME_BITS; bit++) {
                ranked[bit] = ((long) minHashByBit[bit][function] << 32) | bit;
            }
            Arrays.sort(ranked);
            bitsByHash[function] = new short[NAME_BITS];
            for (int rank = 0; rank < NAME_BITS; rank++) {
                bitsByHash[function][rank] = (short) ranked[rank];
            }
        }
    }

    /** Names the secret without revealing it, so stored encodings say which secret made them (rotation). */
    String keyId() {
        return keyId;
    }

    /** The encodings stored for a person: one per birth year the record allows. */
    List<PersonEncoding> stored(PersonIdentity person) {
        return person.birthYears().stream().map(year -> encode(person, year)).toList();
    }

    /** The encodings a new record is looked up with: its birth years and the years either side. */
    List<PersonEncoding> probes(PersonIdentity person) {
        return probesAndStored(person).probes();
    }

    /**
     * A new record's probes and, among them, the encodings to store for it (those of its own birth years), each year
     * encoded once: an encoding stored is made exactly as {@link #stored} makes it, random bits included.
     */
    ProbesAndStored probesAndStored(PersonIdentity person) {
        Map<Integer, PersonEncoding> byYear = new TreeMap<>();
        person.birthYears().forEach(y -> List.of(y - 1, y, y + 1).forEach(year -> byYear.computeIfAbsent(year, z -> encode(person, z))));
        return new ProbesAndStored(List.copyOf(byYear.values()), person.birthYears().stream().map(byYear::get).toList());
    }

    record ProbesAndStored(List<PersonEncoding> probes, List<PersonEncoding> stored) {
    }

    PersonEncoding encode(PersonIdentity person, int birthYear) {
        SecretKeySpec salt = hardening.salted()
                ? new SecretKeySpec(hmac(secret, "salt", sex(person.sex()), Integer.toString(birthYear)), "HmacSHA256")
                : new SecretKeySpec(hmac(secret, "salt"), "HmacSHA256");
        long[] given = filter(salt, "name", new LinkedHashSet<>(bigrams(NameNormaliser.spelling(person.givenName()))), NAME_BITS, NAME_HASHES);
        long[] family = filter(salt, "name", new LinkedHashSet<>(bigrams(NameNormaliser.spelling(person.familyName()))), NAME_BITS, NAME_HASHES);
        long[] names = new long[given.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = given[i] ^ family[i];
        }
        addRandomBits(names);
        List<long[]> fields = List.of(given, family);
        String givenName = NameNormaliser.spelling(person.givenName());
        String familyName = NameNormaliser.spelling(person.familyName());
        // Computed once per probe and name, and only if a candidate is in doubt: a few hundred filters per name.
        IntFunction<List<long[]>> variants = new IntFunction<>() {
            private final List<String> spelled = List.of(givenName, familyName);
            private final List<List<long[]>> computed = new ArrayList<>(java.util.Collections.nCopies(2, null));

            @Override
            public synchronized List<long[]> apply(int field) {
                if (computed.get(field) == null) {
                    computed.set(field, oneEditFilters(salt, spelled.get(field)));
                }
                return computed.get(field);
            }
        };
        String father = NameNormaliser.patronymic(person.patronymic());
        long[] patronymic = father == null ? null : filter(salt, "patronymic", new LinkedHashSet<>(bigrams(father)), PATRONYMIC_BITS, PATRONYMIC_HASHES);
        if (patronymic != null) {
            addRandomBits(patronymic);
        }
        LocalDate born = person.birthDate();
        Long dateTag = born == null ? null : toLong(hmac(salt, "birth-date", born.toString()), 0);
        return new PersonEncoding(names, patronymic, dateTag, blocks(names), fields, variants);
    }

    private long[] filter(SecretKeySpec salt, String field, Set<String> grams, int bits, int hashes) {
        return filter(salt, field, grams, bits, hashes, new HashMap<>());
    }

    private long[] filter(SecretKeySpec salt, String field, Set<String> grams, int bits, int hashes, Map<String, byte[]> macs) {
        int length = hardening.folded() ? 2 * bits : bits;
        long[] filter = new long[length / 64];
        for (String gram : grams) {
            byte[] mac = macs.computeIfAbsent(gram, g -> hmac(macFor(salt), field, g));
            for (int h = 0; h < hashes; h++) {
                int position = Math.floorMod(((mac[2 * h] & 0xff) << 8) | (mac[2 * h + 1] & 0xff), length);
                filter[position >>> 6] |= 1L << position;
            }
        }
        long[] folded = new long[bits / 64];
        for (int i = 0; i < filter.length; i++) {
            folded[i % folded.length] ^= filter[i];
        }
        return folded;
    }

    /**
     * The name filters of every spelling one edit away ({@link #oneEditAway}: deletion, insertion, substitution, swap
     * of neighbours), built as the same filters {@link #filter} gives those spellings, but from what the spelling
     * shares with the name: an edit at one place changes at most three padded bigrams, so a spelling's (unfolded) filter
     * is the OR of the name's bigrams before the edit, the new bigrams, and the name's bigrams after it. A spelling
     * reached by two edits, or equal to the name, only repeats a filter: the best Dice is the same.
     */
    List<long[]> oneEditFilters(SecretKeySpec salt, String name) {
        int length = hardening.folded() ? 2 * NAME_BITS : NAME_BITS;
        Map<String, long[]> gramBits = new HashMap<>();
        java.util.function.Function<String, long[]> bitsOf = gram -> gramBits.computeIfAbsent(gram, g -> {
            byte[] mac = hmac(macFor(salt), "name", g);
            long[] bits = new long[length / 64];
            for (int h = 0; h < NAME_HASHES; h++) {
                int position = Math.floorMod(((mac[2 * h] & 0xff) << 8) | (mac[2 * h + 1] & 0xff), length);
                bits[position >>> 6] |= 1L << position;
            }
            return bits;
        });
        String padded = "_" + name + "_";
        List<String> grams = bigrams(name);
        int count = grams.size();
        long[][] before = new long[count + 1][];
        long[][] after = new long[count + 1][];
        before[0] = new long[length / 64];
        after[count] = new long[length / 64];
        for (int k = 0; k < count; k++) {
            before[k + 1] = or(before[k], bitsOf.apply(grams.get(k)));
            after[count - k - 1] = or(after[count - k], bitsOf.apply(grams.get(count - k - 1)));
        }
        List<long[]> filters = new ArrayList<>();
        for (int i = 0; i <= name.length(); i++) {
            int p = i + 1; // the edited letter's index in padded
            if (i < name.length()) {
                filters.add(folded(before[p - 1], after[p + 1], bitsOf.apply(gram(padded.charAt(p - 1), padded.charAt(p + 1)))));
            }
            if (i + 1 < name.length()) {
                filters.add(folded(before[p - 1], after[p + 2], bitsOf.apply(gram(padded.charAt(p - 1), padded.charAt(p + 1))),
                        bitsOf.apply(gram(padded.charAt(p + 1), padded.charAt(p))), bitsOf.apply(gram(padded.charAt(p), padded.charAt(p + 2)))));
            }
            for (char c : LETTERS.toCharArray()) {
                filters.add(folded(before[p - 1], after[p], bitsOf.apply(gram(padded.charAt(p - 1), c)), bitsOf.apply(gram(c, padded.charAt(p)))));
                if (i < name.length()) {
                    filters.add(folded(before[p - 1], after[p + 1], bitsOf.apply(gram(padded.charAt(p - 1), c)),
                            bitsOf.apply(gram(c, padded.charAt(p + 1)))));
                }
            }
        }
        return filters;
    }

    /** The name filter of one spelling, as a probe's field (for the test that the two constructions agree). */
    long[] nameFilter(SecretKeySpec salt, String spelling) {
        return filter(salt, "name", new LinkedHashSet<>(bigrams(spelling)), NAME_BITS, NAME_HASHES);
    }

    private static long[] or(long[] a, long[] b) {
        long[] both = a.clone();
        for (int i = 0; i < both.length; i++) {
            both[i] |= b[i];
        }
        return both;
    }

    private long[] folded(long[] head, long[] tail, long[]... middle) {
        long[] folded = new long[NAME_BITS / 64];
        for (int i = 0; i < head.length; i++) {
            long word = head[i] | tail[i];
            for (long[] gram : middle) {
                word |= gram[i];
            }
            folded[i % folded.length] ^= word;
        }
        return folded;
    }

    /** One padded bigram exactly as {@link #bigrams} writes it. */
    private static String gram(char a, char b) {
        return a <= b || a == '_' || b == '_' ? "" + a + b : "" + b + a;
    }

    private void addRandomBits(long[] filter) {
        int bits = filter.length * 64;
        int randomBits = (int) Math.round(hardening.randomBits() * bits);
        for (int i = 0; i < randomBits; i++) {
            int position = random.nextInt(bits);
            filter[position >>> 6] |= 1L << position;
        }
    }

    /**
     * MinHash bands over the set bits: two encodings with Jaccard similarity J share a band with 1-(1-J^ROWS)^BANDS.
     * Each band's key mixes the minima of its {@link #ROWS} hash functions.
     */
    private long[] blocks(long[] names) {
        int[] min = setBits(names) < SPARSE_BELOW ? minimaOverSetBits(names) : minimaByRank(names);
        long[] blocks = new long[BANDS];
        for (int band = 0; band < BANDS; band++) {
            long key = 0x9E3779B97F4A7C15L * (band + 1);
            for (int row = 0; row < ROWS; row++) {
                key = mix(key ^ min[band * ROWS + row]);
            }
            blocks[band] = key;
        }
        return blocks;
    }

    /**
     * Below this many set bits the minima are taken over the set bits; from it on by rank. With s bits set, ranks find a
     * function's minimum after about 2 048 / (s + 1) tests against s comparisons over the set bits: even at about 45.
     * A name sets 120–180 of the 2 048 bits (about 14 tests a function, 1 800 in all, against 19 000 comparisons); a
     * very short one (two names of two or three letters that share a bigram) fewer than 48.
     */
    static final int SPARSE_BELOW = 48;

    private static int setBits(long[] filter) {
        int count = 0;
        for (long word : filter) {
            count += Long.bitCount(word);
        }
        return count;
    }

    /** Each function's minimum over the set bits, reading a bit's row of {@link #minHashByBit} (512 bytes) at once. */
    int[] minimaOverSetBits(long[] names) {
        int[] min = new int[BANDS * ROWS];
        Arrays.fill(min, Integer.MAX_VALUE);
        for (int word = 0; word < names.length; word++) {
            long bits = names[word];
            while (bits != 0) {
                int[] hashes = minHashByBit[(word << 6) + Long.numberOfTrailingZeros(bits)];
                for (int function = 0; function < min.length; function++) {
                    min[function] = Math.min(min[function], hashes[function]);
                }
                bits &= bits - 1;
            }
        }
        return min;
    }

    /**
     * Each function's minimum as the value of the first set bit in its order ({@link #bitsByHash}). The same minima as
     * {@link #minimaOverSetBits} with about a tenth of the work, and cheap even before the JIT compiles it: interpreted,
     * the scan over the set bits took about a millisecond a call, and a busy bench spent 15 % of its samples there for
     * two minutes after a start, until the JIT came to compile it (session 44). Needs at least one set bit.
     */
    int[] minimaByRank(long[] names) {
        int[] min = new int[BANDS * ROWS];
        for (int function = 0; function < min.length; function++) {
            short[] order = bitsByHash[function];
            int rank = 0;
            int bit = order[0];
            while ((names[bit >>> 6] & (1L << bit)) == 0) {
                bit = order[++rank];
            }
            min[function] = minHashByBit[bit][function];
        }
        return min;
    }

    private static final String LETTERS = "abcdefghijklmnoprstuvz";

    /** Every spelling one deletion, insertion, substitution or swap of neighbours away (canonical letters only). */
    static Set<String> oneEditAway(String name) {
        Set<String> variants = new LinkedHashSet<>();
        for (int i = 0; i <= name.length(); i++) {
            if (i < name.length()) {
                variants.add(name.substring(0, i) + name.substring(i + 1));
            }
            if (i + 1 < name.length()) {
                variants.add(name.substring(0, i) + name.charAt(i + 1) + name.charAt(i) + name.substring(i + 2));
            }
            for (char c : LETTERS.toCharArray()) {
                variants.add(name.substring(0, i) + c + name.substring(i));
                if (i < name.length()) {
                    variants.add(name.substring(0, i) + c + name.substring(i + 1));
                }
            }
        }
        variants.remove(name);
        return variants;
    }

    /**
     * The padded bigrams of a canonical name, each with its two letters in alphabetical order: a transposition
     * (Ngiina) then changes two bigrams instead of three, while another name changes most of them. The first and
     * last letters keep their padded bigram in order, so a name's start is never confused with another's end.
     */
    static List<String> bigrams(String name) {
        String padded = "_" + name + "_";
        List<String> grams = new ArrayList<>();
        for (int i = 0; i + 2 <= padded.length(); i++) {
            char a = padded.charAt(i);
            char b = padded.charAt(i + 1);
            grams.add(a <= b || a == '_' || b == '_' ? "" + a + b : "" + b + a);
        }
        return grams;
    }

    private static String sex(Sex sex) {
        return switch (sex) {
            case FEMALE -> "F";
            case MALE -> "M";
            case OTHER, UNKNOWN -> "U";
        };
    }

    private static byte[] hmac(SecretKeySpec key, String... parts) {
        return hmac(macFor(key), parts);
    }

    /** doFinal resets the Mac, so one instance serves every bigram of a salt (getInstance and init cost more than the MAC). */
    private static byte[] hmac(Mac mac, String... parts) {
        return mac.doFinal(String.join(SEPARATOR, parts).getBytes(StandardCharsets.UTF_8));
    }

    private static final ThreadLocal<java.util.Map<SecretKeySpec, Mac>> MACS = ThreadLocal.withInitial(java.util.IdentityHashMap::new);

    private static Mac macFor(SecretKeySpec key) {
        java.util.Map<SecretKeySpec, Mac> macs = MACS.get();
        if (macs.size() > 64) {
            macs.clear(); // salts are per record: keep only the recent ones
        }
        return macs.computeIfAbsent(key, k -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(k);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    private static long toLong(byte[] bytes, int from) {
        long value = 0;
        for (int i = from; i < from + 8; i++) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
