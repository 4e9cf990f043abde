package dev.tinyforge.generate.constraint;

import dev.tinyforge.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Predicate;

/**
 * A tokenizer's vocabulary as a trie of token bytes, laid out in preorder: finding every token the
 * automaton allows is one pass over the arrays that feeds each node's byte to its parent's state and
 * skips a whole subtree as soon as the state dies. Tokens share the work of their common prefixes, and
 * in a typical state (inside a string, between members) most subtrees die at their first byte, so a step
 * costs far less than trying each token. Immutable; built once per tokenizer and shared.
 */
final class TokenTrie {
    private static final Map<Tokenizer, TokenTrie> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    /** Ids of the tokenizer (logits beyond this are never allowed). */
    final int vocabSize;
    private final byte[][] bytes;
    /** Per node, in preorder: the byte leading to it, its depth (1 for the root's children), where its subtree ends. */
    private final byte[] edge;
    private final int[] depth;
    private final int[] skip;
    /** The tokens ending at node i are sortedIds[tokenStart[i] .. tokenStart[i + 1]). */
    private final int[] tokenStart;
    private final int[] sortedIds;
    final int maxDepth;
    /** Per lexical state, the tables of {@link StringTokens}, made on first use. */
    private final StringTokens[] stringTables = new StringTokens[8 * 6];
    private final StringTokens[] keyTables = new StringTokens[8];

    private TokenTrie(byte[][] bytes) {
        this.vocabSize = bytes.length;
        this.bytes = bytes;
        Integer[] order = new Integer[bytes.length];
        int n = 0, totalBytes = 0, longest = 0;
        for (int id = 0; id < bytes.length; id++) {
            if (bytes[id].length == 0) continue;
            order[n++] = id;
            totalBytes += bytes[id].length;
            longest = Math.max(longest, bytes[id].length);
        }
        Integer[] ids = Arrays.copyOf(order, n);
        Arrays.sort(ids, (a, b) -> {
            int c = Arrays.compareUnsigned(bytes[a], bytes[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        byte[] edges = new byte[totalBytes];
        int[] depths = new int[totalBytes];
        int[] nodeOfToken = new int[n];
        int[] path = new int[longest + 1];
        int nodes = 0;
        byte[] previous = new byte[0];
        for (int t = 0; t < n; t++) {
            byte[] s = bytes[ids[t]];
            int common = Arrays.mismatch(previous, s);
            if (common < 0) common = s.length; // the same bytes as the previous token
            for (int k = common; k < s.length; k++) {
                edges[nodes] = s[k];
                depths[nodes] = k + 1;
                path[k + 1] = nodes++;
            }
            nodeOfToken[t] = path[s.length];
            previous = s;
        }
        edge = Arrays.copyOf(edges, nodes);
        depth = Arrays.copyOf(depths, nodes);
        skip = new int[nodes];
        int[] open = new int[longest + 1];
        int top = 0;
        for (int i = 0; i < nodes; i++) {
            while (top > 0 && depth[open[top - 1]] >= depth[i]) skip[open[--top]] = i;
            open[top++] = i;
        }
        while (top > 0) skip[open[--top]] = nodes;
        tokenStart = new int[nodes + 1];
        for (int t = 0; t < n; t++) tokenStart[nodeOfToken[t] + 1]++;
        for (int i = 0; i < nodes; i++) tokenStart[i + 1] += tokenStart[i];
        sortedIds = new int[n];
        for (int t = 0; t < n; t++) sortedIds[t] = ids[t]; // nodes of sorted tokens never decrease
        maxDepth = longest;
    }

    /**
     * The trie of {@code tokenizer}'s vocabulary, built on first use and kept while the tokenizer lives.
     * Built once: a caller that comes while it is being built waits for it rather than build another.
     */
    static TokenTrie of(Tokenizer tokenizer) {
        return CACHE.computeIfAbsent(tokenizer, t -> {
            byte[][] bytes = new byte[t.vocabSize()][];
            for (int id = 0; id < bytes.length; id++) bytes[id] = t.tokenBytes(id);
            return new TokenTrie(bytes);
        });
    }

    /** Whether the trie of {@code tokenizer} is built (without building it). */
    static boolean built(Tokenizer tokenizer) {
        return CACHE.containsKey(tokenizer);
    }

    /** A trie of the given token bytes (id = index), for tests. */
    static TokenTrie of(byte[][] bytes) {
        return new TokenTrie(bytes);
    }

    /** The bytes of token {@code id}; empty for tokens that are not text (special, unused). */
    byte[] bytes(int id) {
        return id >= 0 && id < vocabSize ? bytes[id] : new byte[0];
    }

    /**
     * Sets the bit of every token whose bytes the automaton accepts from {@code start}.
     *
     * @param states scratch of at least {@link #maxDepth} + 1 entries
     * @return how many tokens are allowed
     */
    int allowed(JsonAutomaton automaton, ParseState start, ParseState.Successors out, ParseState[] states, long[] bits) {
        states[0] = start;
        int count = 0;
        int nodes = edge.length;
        for (int i = 0; i < nodes; ) {
            int d = depth[i];
            ParseState next = automaton.step(states[d - 1], edge[i] & 0xFF, out);
            if (next == null) {
                i = skip[i];
                continue;
            }
            states[d] = next;
            for (int t = tokenStart[i], end = tokenStart[i + 1]; t < end; t++) {
                int id = sortedIds[t];
                bits[id >>> 6] |= 1L << id;
                count++;
            }
            i++;
        }
        return count;
    }

    /** Receives the tokens {@link #classify} sorts. */
    interface Classes {
        /** A token whose bytes all keep the state inside; {@code last} is the top frame after them. */
        void inside(int id, Frame last);

        /** A token that leaves at some byte (what comes after is not looked at). */
        void leaving(int id);
    }

    /**
     * Sorts the tokens by what they do from {@code start}: refused, staying where {@code inside} holds for
     * the top frame throughout, or leaving (a whole subtree at once, from the node where it leaves).
     */
    void classify(JsonAutomaton automaton, ParseState start, Predicate<Frame> inside, Classes classes) {
        ParseState[] states = new ParseState[maxDepth + 1];
        ParseState.Successors out = new ParseState.Successors();
        states[0] = start;
        for (int i = 0, nodes = edge.length; i < nodes; ) {
            int d = depth[i];
            ParseState next = automaton.step(states[d - 1], edge[i] & 0xFF, out);
            if (next == null) {
                i = skip[i];
            } else if (!inside.test(next.stacks[0].top)) {
                for (int t = tokenStart[i], end = tokenStart[skip[i]]; t < end; t++) classes.leaving(sortedIds[t]);
                i = skip[i];
            } else {
                states[d] = next;
                for (int t = tokenStart[i], end = tokenStart[i + 1]; t < end; t++) classes.inside(sortedIds[t], next.stacks[0].top);
                i++;
            }
        }
    }

    /** The {@link StringTokens} of a string value in UTF-8 state {@code utf8} and escape state {@code escape}. */
    StringTokens inString(int utf8, int escape) {
        int at = utf8 * 6 + escape;
        synchronized (stringTables) {
            if (stringTables[at] == null) stringTables[at] = StringTokens.forString(this, utf8, escape);
            return stringTables[at];
        }
    }

    /** The {@link StringTokens} of a key that may be any key, in UTF-8 state {@code utf8}. */
    StringTokens inKey(int utf8) {
        synchronized (keyTables) {
            if (keyTables[utf8] == null) keyTables[utf8] = StringTokens.forKey(this, utf8);
            return keyTables[utf8];
        }
    }

    /** Number of trie nodes (for reports). */
    int nodes() {
        return edge.length;
    }
}
