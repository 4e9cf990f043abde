package dev.tinyforge.util;

import java.util.Arrays;

/**
 * Open-addressing map from long keys to int values, 12 bytes an entry at most half full, so that
 * millions of record hashes fit where a {@code HashMap<Long, Integer>} would need ten times more.
 */
public final class LongIntHashMap {
    private static final int EMPTY = Integer.MIN_VALUE;

    private long[] keys;
    private int[] values;
    private int size;

    public LongIntHashMap() {
        this(1024);
    }

    public LongIntHashMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, EMPTY);
    }

    public int size() {
        return size;
    }

    /** The value for {@code key}, or {@code missing} when absent. */
    public int get(long key, int missing) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (values[i] == EMPTY) return missing;
            if (keys[i] == key) return values[i];
        }
    }

    /**
     * Stores {@code value} for {@code key} if the key is new and returns {@code missing};
     * otherwise keeps the old value and returns it.
     */
    public int putIfAbsent(long key, int value, int missing) {
        if (value == EMPTY) throw new IllegalArgumentException("value " + EMPTY + " is reserved");
        int mask = keys.length - 1;
        int i = slot(key, mask);
        for (; values[i] != EMPTY; i = (i + 1) & mask) {
            if (keys[i] == key) return values[i];
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) grow();
        return missing;
    }

    /** Adds {@code delta} to the value of {@code key} (absent counts as 0) and returns the new value. */
    public int add(long key, int delta) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        for (; values[i] != EMPTY; i = (i + 1) & mask) {
            if (keys[i] == key) return values[i] += delta;
        }
        keys[i] = key;
        values[i] = delta;
        if (++size * 2 > keys.length) grow();
        return delta;
    }

    /** Calls {@code action} for every entry, in no particular order. */
    public void forEach(EntryConsumer action) {
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != EMPTY) action.accept(keys[i], values[i]);
        }
    }

    @FunctionalInterface
    public interface EntryConsumer {
        void accept(long key, int value);
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldValues.length * 2];
        Arrays.fill(values, EMPTY);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] == EMPTY) continue;
            int i = slot(oldKeys[j], mask);
            while (values[i] != EMPTY) i = (i + 1) & mask;
            keys[i] = oldKeys[j];
            values[i] = oldValues[j];
        }
    }

    private static int slot(long key, int mask) {
        return (int) Hashing.mix(key) & mask;
    }
}
