package org.referralbus.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A small deterministic fuzzer: each call applies 1 to 4 random edits (bit flips, boundary bytes, ASN.1-looking
 * lengths, inserts, deletes, truncation, duplication, splices with another corpus entry, XML tokens) to a corpus
 * entry. The same seed gives the same inputs, so a failure is replayed with {@code -Dfuzz.seed=<seed>}.
 */
public final class SeededMutator {

    private static final byte[] BOUNDARY = {0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0x81, (byte) 0x84, (byte) 0xff, 0x30, 0x05};
    private static final List<byte[]> TOKENS = List.of("<!DOCTYPE r [<!ENTITY e \"x\">]>", "&e;", "<a>", "</a>", "]]>",
            "<![CDATA[", "&#0;", "\u0000", "xmlns=\"urn:x\"", "<?xml version=\"1.1\"?>", "\uFFFF", "&amp;&lt;")
            .stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();

    private final Random random;
    private final List<byte[]> corpus;

    public SeededMutator(long seed, List<byte[]> corpus) {
        this.random = new Random(seed);
        this.corpus = List.copyOf(corpus);
    }

    /** A mutation of a random corpus entry. */
    public byte[] next() {
        return mutate(corpus.get(random.nextInt(corpus.size())));
    }

    public byte[] mutate(byte[] input) {
        byte[] data = input.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && data.length > 0; i++) {
            data = edit(data);
        }
        return data;
    }

    private byte[] edit(byte[] data) {
        int at = random.nextInt(data.length);
        switch (random.nextInt(9)) {
            case 0 -> data[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> data[at] = BOUNDARY[random.nextInt(BOUNDARY.length)];
            case 2 -> { // an ASN.1 long-form length claiming far more than there is
                byte[] length = {(byte) 0x84, (byte) random.nextInt(256), (byte) 0xff, (byte) 0xff, (byte) 0xff};
                data = splice(data, at, 0, length);
            }
            case 3 -> {
                byte[] noise = new byte[1 + random.nextInt(16)];
                random.nextBytes(noise);
                data = splice(data, at, 0, noise);
            }
            case 4 -> data = splice(data, at, Math.min(data.length - at, 1 + random.nextInt(64)), new byte[0]);
            case 5 -> data = Arrays.copyOf(data, at);
            case 6 -> {
                int length = Math.min(data.length - at, 1 + random.nextInt(256));
                data = splice(data, at, 0, Arrays.copyOfRange(data, at, at + length));
            }
            case 7 -> {
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                int from = random.nextInt(other.length);
                data = splice(Arrays.copyOf(data, at), at, 0, Arrays.copyOfRange(other, from, other.length));
            }
            default -> data = splice(data, at, 0, TOKENS.get(random.nextInt(TOKENS.size())));
        }
        return data;
    }

    private static byte[] splice(byte[] data, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + insert.length);
        out.write(data, 0, at);
        out.writeBytes(insert);
        out.write(data, at + remove, data.length - at - remove);
        return out.toByteArray();
    }
}
