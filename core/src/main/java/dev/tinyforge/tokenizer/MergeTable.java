package dev.tinyforge.tokenizer;

import java.util.Arrays;

/**
 * BPE merge ranks: (left id, right id) → rank, and rank → merged id. Open addressing over packed long
 * keys, so a lookup in the merge loop is a multiply, a shift and one or two array loads.
 */
public final class MergeTable {
    private static final int EMPTY = -1;

    private long[] keys;
    private int[] ranks;
    private int[] merged;
    private int size;
    private int count;

    public MergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        ranks = new int[capacity];
        Arrays.fill(ranks, EMPTY);
        merged = new int[Math.max(16, expected)];
    }

    /**
     * Adds the merge of rank {@link #count()} (merges are added in rank order). A pair listed twice keeps
     * its last rank, as a map built from the list does in HF tokenizers.
     */
    public void add(int left, int right, int mergedId) {
        int rank = count++;
        if (rank == merged.length) merged = Arrays.copyOf(merged, rank * 2);
        merged[rank] = mergedId;
        long key = key(left, right);
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (ranks[i] != EMPTY) {
            if (keys[i] == key) {
                ranks[i] = rank;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        ranks[i] = rank;
        if (++size * 2 > keys.length) grow();
    }

    /** The rank of merging {@code left} with {@code right}, or -1 when they do not merge. */
    public int rank(int left, int right) {
        long key = key(left, right);
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            int r = ranks[i];
            if (r == EMPTY || keys[i] == key) return r;
        }
    }

    /** The token id that the merge of rank {@code rank} produces. */
    public int mergedId(int rank) {
        return merged[rank];
    }

    /** How many merges were added (including duplicates). */
    public int count() {
        return count;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** Fibonacci hashing: the top bits of key × 2^64/φ; {@code mask + 1} is the (power of two) capacity. */
    private static int slot(long key, int mask) {
        long h = (key ^ (key >>> 29)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> (64 - Integer.bitCount(mask))) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldRanks = ranks;
        keys = new long[oldKeys.length * 2];
        ranks = new int[oldKeys.length * 2];
        Arrays.fill(ranks, EMPTY);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldRanks[j] == EMPTY) continue;
            int i = slot(oldKeys[j], mask);
            while (ranks[i] != EMPTY) i = (i + 1) & mask;
            keys[i] = oldKeys[j];
            ranks[i] = oldRanks[j];
        }
    }
}
