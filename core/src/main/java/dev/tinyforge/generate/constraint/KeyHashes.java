package dev.tinyforge.generate.constraint;

import java.util.Arrays;

/**
 * The keys an object has used that are not listed properties, as 64-bit hashes, so that no key is
 * written twice (strict parsers reject duplicates). A hash collision can only refuse a new key that is
 * in fact unused, never let a duplicate through, and the writer can always lengthen the key instead.
 * Immutable; equal by content.
 */
final class KeyHashes {
    static final KeyHashes NONE = new KeyHashes(new long[0]);
    /** The hash of the empty key; {@link #extend} adds a byte. */
    static final long EMPTY = 0xcbf29ce484222325L;

    private final long[] sorted;
    private final int hash;

    private KeyHashes(long[] sorted) {
        this.sorted = sorted;
        this.hash = Arrays.hashCode(sorted);
    }

    /** FNV-1a, one byte at a time. */
    static long extend(long hash, int b) {
        return (hash ^ b) * 0x100000001b3L;
    }

    boolean contains(long key) {
        return Arrays.binarySearch(sorted, key) >= 0;
    }

    KeyHashes with(long key) {
        int at = Arrays.binarySearch(sorted, key);
        if (at >= 0) return this;
        int insert = -at - 1;
        long[] more = new long[sorted.length + 1];
        System.arraycopy(sorted, 0, more, 0, insert);
        more[insert] = key;
        System.arraycopy(sorted, insert, more, insert + 1, sorted.length - insert);
        return new KeyHashes(more);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof KeyHashes k && k.hash == hash && Arrays.equals(k.sorted, sorted));
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
