package dev.tinyforge.generate.constraint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A trie of byte strings (property names, or the compact JSON of enum values), walked a byte at a time.
 * Node 0 is the root. Each node knows which string ends there and, for up to 64 strings, which strings
 * lie below it, so an object can tell whether a half-written key can still become a key it may use.
 */
final class LiteralTrie {
    private final int[] firstChild;
    private final int[] nextSibling;
    private final byte[] edge;
    /** The index of the string ending at each node, or -1. */
    private final int[] value;
    /** The strings at or below each node, one bit per index; 0 when there are more than 64 strings. */
    private final long[] below;
    private final int size;

    private LiteralTrie(int[] firstChild, int[] nextSibling, byte[] edge, int[] value, long[] below, int size) {
        this.firstChild = firstChild;
        this.nextSibling = nextSibling;
        this.edge = edge;
        this.value = value;
        this.below = below;
        this.size = size;
    }

    /** A trie of {@code strings}; a string given twice keeps its first index. */
    static LiteralTrie of(List<byte[]> strings) {
        List<int[]> children = new ArrayList<>(); // per node: {firstChild, nextSibling, edge, value}
        children.add(new int[] {-1, -1, 0, -1});
        for (int index = 0; index < strings.size(); index++) {
            int node = 0;
            for (byte b : strings.get(index)) {
                int child = children.get(node)[0];
                while (child >= 0 && children.get(child)[2] != (b & 0xFF)) child = children.get(child)[1];
                if (child < 0) {
                    child = children.size();
                    children.add(new int[] {-1, children.get(node)[0], b & 0xFF, -1});
                    children.get(node)[0] = child;
                }
                node = child;
            }
            if (children.get(node)[3] < 0) children.get(node)[3] = index;
        }
        int n = children.size();
        int[] first = new int[n], next = new int[n], value = new int[n];
        byte[] edge = new byte[n];
        for (int i = 0; i < n; i++) {
            int[] c = children.get(i);
            first[i] = c[0];
            next[i] = c[1];
            edge[i] = (byte) c[2];
            value[i] = c[3];
        }
        long[] below = new long[n];
        if (strings.size() <= 64) {
            // Children are always created after their parent, so one backward pass sums subtrees.
            int[] parent = new int[n];
            Arrays.fill(parent, -1);
            for (int i = 0; i < n; i++) for (int c = first[i]; c >= 0; c = next[c]) parent[c] = i;
            for (int i = n - 1; i >= 0; i--) {
                if (value[i] >= 0) below[i] |= 1L << value[i];
                if (parent[i] >= 0) below[parent[i]] |= below[i];
            }
        }
        return new LiteralTrie(first, next, edge, value, below, strings.size());
    }

    /** The child of {@code node} along byte {@code b}, or -1. */
    int child(int node, int b) {
        for (int c = firstChild[node]; c >= 0; c = nextSibling[c]) {
            if ((edge[c] & 0xFF) == b) return c;
        }
        return -1;
    }

    /** The index of the string that ends at {@code node}, or -1. */
    int value(int node) {
        return value[node];
    }

    boolean hasChildren(int node) {
        return firstChild[node] >= 0;
    }

    /** The strings at or below {@code node} as bits (only for tries of at most 64 strings). */
    long below(int node) {
        return below[node];
    }

    /** Number of strings. */
    int size() {
        return size;
    }

    /** The bytes that start some string, for telling apart the first bytes of alternatives. */
    boolean[] firstBytes() {
        boolean[] first = new boolean[256];
        for (int c = firstChild[0]; c >= 0; c = nextSibling[c]) first[edge[c] & 0xFF] = true;
        return first;
    }
}
