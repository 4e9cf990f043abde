package dev.tinyforge.io;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded mutations of a valid file for the format readers' fuzz tests: byte flips (mostly in the
 * header, where lies do damage), truncations, and length or count fields overwritten with values
 * chosen to overflow, to point past the end, or to be just slightly wrong.
 */
public final class Mutator {
    private static final long[] INTERESTING = {
        0, 1, 2, 3, 7, 8, 31, 32, 63, 64, 255, 256, 4095, 4096, 65535, 65536,
        Integer.MAX_VALUE, 0x8000_0000L, 0xFFFF_FFFFL, 1L << 32, 1L << 40, 1L << 53,
        Long.MAX_VALUE, Long.MIN_VALUE, -1, -2, -8, 100_000_000, 100_000_001,
    };

    private final SplittableRandom random;

    public Mutator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A mutated copy of {@code original}; {@code headerEnd} marks the bytes most worth corrupting. */
    public byte[] mutate(byte[] original, int headerEnd) {
        byte[] b = original.clone();
        int rounds = random.nextInt(8) == 0 ? 2 : 1;
        for (int r = 0; r < rounds; r++) b = once(b, Math.min(headerEnd, b.length));
        return b;
    }

    /** Describes the last mutation kind, for failure messages. */
    private String last = "";

    public String last() {
        return last;
    }

    private byte[] once(byte[] b, int headerEnd) {
        if (b.length == 0) return b;
        int region = Math.max(1, random.nextInt(4) == 0 ? b.length : headerEnd);
        switch (random.nextInt(5)) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) b[random.nextInt(region)] ^= (byte) (1 << random.nextInt(8));
                last = flips + " bit flips";
            }
            case 1 -> {
                int at = random.nextInt(region);
                b[at] = (byte) random.nextInt(256);
                last = "byte " + at + " replaced";
            }
            case 2 -> {
                int length = random.nextInt(random.nextBoolean() ? region : b.length);
                last = "truncated to " + length;
                return Arrays.copyOf(b, length);
            }
            case 3 -> overwrite(b, random.nextInt(region), 8, "u64");
            default -> overwrite(b, random.nextInt(region), 4, "u32");
        }
        return b;
    }

    private void overwrite(byte[] b, int at, int width, String kind) {
        long value = random.nextInt(4) == 0 ? random.nextLong() : INTERESTING[random.nextInt(INTERESTING.length)];
        if (random.nextInt(4) == 0) value += random.nextInt(-3, 4); // near misses: off by a few
        for (int i = 0; i < width && at + i < b.length; i++) b[at + i] = (byte) (value >>> (8 * i));
        last = kind + " at " + at + " = " + value;
    }
}
