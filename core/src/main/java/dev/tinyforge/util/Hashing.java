package dev.tinyforge.util;

/** Fast 64-bit hashing of text, for duplicate detection and deterministic shuffles (not for security). */
public final class Hashing {
    private Hashing() {}

    /** A strong 64-bit finaliser (SplitMix64's) that spreads every input bit over every output bit. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** 64-bit hash of a string's UTF-16 units, seeded; collisions are ~2^-64 per pair. */
    public static long hash(CharSequence s, long seed) {
        long h = mix(seed ^ 0x9e3779b97f4a7c15L) ^ s.length();
        int i = 0, n = s.length();
        for (; i + 3 < n; i += 4) {
            long block = s.charAt(i) | ((long) s.charAt(i + 1) << 16) | ((long) s.charAt(i + 2) << 32)
                    | ((long) s.charAt(i + 3) << 48);
            h = mix(h ^ block) + 0x9e3779b97f4a7c15L;
        }
        long tail = 0;
        for (int shift = 0; i < n; i++, shift += 16) tail |= (long) s.charAt(i) << shift;
        return mix(h ^ tail ^ 0x632be59bd9b4e019L);
    }
}
