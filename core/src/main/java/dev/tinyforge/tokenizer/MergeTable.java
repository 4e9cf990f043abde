package dev.tinyforge.tokenizer;

/**
 * BPE merge ranks: (left id, right id) → rank, rank → merged id. The merge loop is bound by these
 * lookups missing the cache, so a slot is one long holding both the pair and its rank (a probe costs
 * one cache line), and {@link #isPair} validates a queued merge without hashing at all.
 */
public final class MergeTable {
    private final int capacity;
    private final int idBits;
    private final int rankBits;
    /** Open addressing, linear probing; a slot is {@code (left << idBits | right) << rankBits | (rank + 1)}, 0 when empty. */
    private final long[] slots;
    private final int shift;
    private final long[] pairOfRank;
    private final int[] mergedOfRank;
    private int count;

    /**
     * @param capacity the number of merges that will be added (the length of the merges list)
     * @param idBound every id is below this
     */
    public MergeTable(int capacity, int idBound) {
        this.capacity = capacity;
        idBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, idBound - 1));
        rankBits = 32 - Integer.numberOfLeadingZeros(capacity + 1);
        if (2 * idBits + rankBits > 63) {
            throw new IllegalArgumentException(capacity + " merges over " + idBound + " ids do not fit a merge table");
        }
        int size = Integer.highestOneBit(Math.max(16, capacity * 2 - 1)) << 1; // at most half full
        slots = new long[size];
        shift = 64 - Integer.numberOfTrailingZeros(size);
        pairOfRank = new long[capacity];
        mergedOfRank = new int[capacity];
    }

    /**
     * Adds the merge of rank {@link #count()} (merges are added in rank order). A pair listed twice keeps
     * its last rank, as the map HF tokenizers builds from the list does.
     */
    public void add(int left, int right, int mergedId) {
        if (count == capacity) throw new IllegalStateException("merge table is full");
        int rank = count++;
        long pair = pair(left, right);
        pairOfRank[rank] = pair;
        mergedOfRank[rank] = mergedId;
        int mask = slots.length - 1;
        for (int i = slot(pair); ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == 0 || s >>> rankBits == pair) {
                slots[i] = (pair << rankBits) | (rank + 1);
                return;
            }
        }
    }

    /** The rank of merging {@code left} with {@code right}, or -1 when they do not merge. */
    public int rank(int left, int right) {
        long pair = pair(left, right);
        int mask = slots.length - 1;
        for (int i = slot(pair); ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == 0) return -1;
            if (s >>> rankBits == pair) return (int) (s & ((1L << rankBits) - 1)) - 1;
        }
    }

    /** Whether the merge of rank {@code rank} is exactly (left, right); cheaper than {@link #rank}. */
    boolean isPair(int rank, int left, int right) {
        return pairOfRank[rank] == pair(left, right);
    }

    /** The token id that the merge of rank {@code rank} produces. */
    public int mergedId(int rank) {
        return mergedOfRank[rank];
    }

    /** How many merges were added (including duplicates). */
    public int count() {
        return count;
    }

    private long pair(int left, int right) {
        return ((long) left << idBits) | right;
    }

    /** Fibonacci hashing: the top bits of pair × 2^64/φ. */
    private int slot(long pair) {
        return (int) ((pair * 0x9E3779B97F4A7C15L) >>> shift);
    }
}
