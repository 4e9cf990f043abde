package dev.tinyforge.model;

/**
 * Keys and values of every past position of one sequence, per layer: {@code [position][kvDim]}
 * float rows, so attention reads each head's history with a fixed stride.
 */
public final class KvCache {
    final float[][] keys, values;
    private final int capacity;
    private int length;

    public KvCache(ModelConfig config, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("cache capacity must be positive");
        this.capacity = capacity;
        long perLayer = (long) capacity * config.kvDim();
        if (perLayer > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a context of " + capacity + " tokens does not fit one cache array");
        }
        keys = new float[config.layers()][(int) perLayer];
        values = new float[config.layers()][(int) perLayer];
    }

    /** Positions already filled. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /** Forgets positions from {@code newLength} on (e.g. to reuse a shared prompt prefix). */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) throw new IllegalArgumentException("cannot truncate to " + newLength);
        length = newLength;
    }

    void advance(int tokens) {
        length += tokens;
    }
}
