package dev.tinyforge.generate.constraint;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link TokenConstraint} for JSON: the automaton's state plus the vocabulary trie. The set of allowed
 * tokens is cached per state, since generation keeps coming back to the same ones (inside a string,
 * after a member).
 */
final class JsonConstraint implements TokenConstraint {
    private static final int CACHED_MASKS = 128;

    private record Mask(long[] bits, int count) {}

    private final JsonAutomaton automaton;
    private final TokenTrie trie;
    private final int[] endIds;
    private final ParseState.Successors out = new ParseState.Successors();
    private final ParseState[] scratch;
    private final Map<ParseState, Mask> masks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ParseState, Mask> eldest) {
            return size() > CACHED_MASKS;
        }
    };
    private ParseState state;
    private boolean ended;

    JsonConstraint(JsonAutomaton automaton, TokenTrie trie, Set<Integer> endIds) {
        this.automaton = automaton;
        this.trie = trie;
        this.endIds = endIds.stream().mapToInt(Integer::intValue).toArray();
        this.scratch = new ParseState[trie.maxDepth + 1];
        this.state = automaton.start();
    }

    private Mask mask() {
        Mask mask = masks.get(state);
        if (mask == null) {
            long[] bits = new long[(trie.vocabSize + 63) >>> 6];
            int count = allowed(state, bits);
            for (int id : endIds) {
                if (id >= 0 && id < trie.vocabSize && (bits[id >>> 6] & 1L << id) != 0) {
                    bits[id >>> 6] &= ~(1L << id); // an end token is never text, even if it has bytes
                    count--;
                }
            }
            mask = new Mask(bits, count);
            masks.put(state, mask);
        }
        return mask;
    }

    /**
     * Inside a string or a free key, the table of {@link StringTokens} settles every token that stays
     * inside, and only those reaching the closing quote are run through the automaton; elsewhere the
     * vocabulary trie is walked.
     */
    int allowed(ParseState s, long[] bits) {
        if (s.stacks.length == 1) {
            Frame top = s.stacks[0].top;
            if (top instanceof Frame.StringBody f) {
                int room = f.type().maxLength == Integer.MAX_VALUE ? Integer.MAX_VALUE : f.type().maxLength - f.length();
                return viaTable(s, trie.inString(f.utf8(), f.escape()), room, bits);
            }
            if (top instanceof Frame.ObjectBody o && o.phase() == Frame.ObjectBody.KEY && JsonAutomaton.additionalAllowed(o)) {
                return viaTable(s, trie.inKey(o.utf8()), Integer.MAX_VALUE, bits);
            }
        }
        return trie.allowed(automaton, s, out, scratch, bits);
    }

    private int viaTable(ParseState s, StringTokens table, int room, long[] bits) {
        int count = table.insideWithin(room, bits);
        for (int id : table.closing) {
            byte[] bytes = trie.bytes(id);
            ParseState t = s;
            for (int i = 0; i < bytes.length && t != null; i++) t = automaton.step(t, bytes[i] & 0xFF, out);
            if (t != null) {
                bits[id >>> 6] |= 1L << id;
                count++;
            }
        }
        return count;
    }

    @Override
    public boolean mask(float[] logits) {
        if (ended) throw new IllegalStateException("generation has ended");
        Mask mask = mask();
        boolean complete = isComplete();
        float[] ends = new float[endIds.length];
        for (int i = 0; i < endIds.length; i++) ends[i] = endIds[i] >= 0 && endIds[i] < logits.length ? logits[endIds[i]] : 0;
        long[] bits = mask.bits();
        int n = Math.min(logits.length, trie.vocabSize);
        for (int w = 0; w << 6 < n; w++) {
            long word = bits[w];
            if (word == -1L) continue;
            int from = w << 6, to = Math.min(n, from + 64);
            if (word == 0) {
                Arrays.fill(logits, from, to, Float.NEGATIVE_INFINITY);
            } else {
                for (int id = from; id < to; id++) if ((word & 1L << id) == 0) logits[id] = Float.NEGATIVE_INFINITY;
            }
        }
        if (logits.length > n) Arrays.fill(logits, n, logits.length, Float.NEGATIVE_INFINITY);
        int endsAllowed = 0;
        for (int i = 0; i < endIds.length; i++) {
            int id = endIds[i];
            if (id < 0 || id >= logits.length) continue;
            logits[id] = complete ? ends[i] : Float.NEGATIVE_INFINITY;
            if (complete) endsAllowed++;
        }
        if (mask.count() + endsAllowed > 0) return true;
        if (complete) return false;
        throw new IllegalStateException("no token of the vocabulary continues the JSON here (a byte the grammar needs has no token)");
    }

    @Override
    public boolean allows(int token) {
        if (ended) return false;
        if (isEnd(token)) return isComplete();
        if (token < 0 || token >= trie.vocabSize) return false;
        return (mask().bits()[token >>> 6] & 1L << token) != 0;
    }

    @Override
    public void accept(int token) {
        if (ended) throw new IllegalStateException("generation has ended");
        if (isEnd(token)) {
            if (!isComplete()) throw new IllegalArgumentException("end token " + token + " before the JSON is complete");
            ended = true;
            return;
        }
        byte[] bytes = trie.bytes(token);
        ParseState s = bytes.length == 0 ? null : state;
        for (int i = 0; i < bytes.length && s != null; i++) s = automaton.step(s, bytes[i] & 0xFF, out);
        if (s == null) throw new IllegalArgumentException("token " + token + " may not come here");
        state = s;
    }

    @Override
    public boolean isComplete() {
        return automaton.complete(state, out);
    }

    @Override
    public boolean mustEnd() {
        return ended || JsonAutomaton.finished(state);
    }

    private boolean isEnd(int token) {
        for (int id : endIds) if (id == token) return true;
        return false;
    }
}
