package dev.tinyforge.generate.constraint;

import dev.tinyforge.generate.constraint.Frame.End;
import dev.tinyforge.generate.constraint.Frame.ObjectBody;
import dev.tinyforge.generate.constraint.Frame.StringBody;
import java.util.ArrayList;
import java.util.List;

/**
 * What each token does when it comes inside a string (or an object key) in one lexical state: stays
 * inside (and how many characters it adds), reaches the closing quote, or is refused. Inside a string
 * nothing but the string's own state decides about a token that stays inside it, so most of the
 * vocabulary is settled by a table lookup; only the few tokens that close the string need the whole
 * parse state. This is the split between context-independent and context-dependent tokens that
 * XGrammar (Dong et al., 2024) builds on.
 *
 * <p>Tables are worked out with the automaton itself (a string frame over a frame that ends), so they
 * cannot disagree with it.
 */
final class StringTokens {
    private static final Schema.StringType COUNTED = SchemaCompiler.frozen(new Schema.StringType(0, Integer.MAX_VALUE - 1));
    private static final Schema.ObjectType FREE_KEYS = SchemaCompiler.frozen(
            new Schema.ObjectType(List.of(), JsonAutomaton.ANY, 0, Integer.MAX_VALUE));
    private static final JsonAutomaton LEXER = new JsonAutomaton(JsonAutomaton.ANY, 0, 0);

    /** The tokens that stay inside, as bits. */
    final long[] inside;
    final int insideCount;
    /** The tokens that stay inside, fewest characters first, and their characters. */
    final int[] insideByChars;
    final int[] chars;
    /** The tokens that reach the closing quote without a fault before it; what follows it depends on the parse state. */
    final int[] closing;

    private StringTokens(long[] inside, int[] insideByChars, int[] chars, int[] closing) {
        this.inside = inside;
        this.insideCount = insideByChars.length;
        this.insideByChars = insideByChars;
        this.chars = chars;
        this.closing = closing;
    }

    /** The table for a string value whose frame has these {@code utf8} and {@code escape} states. */
    static StringTokens forString(TokenTrie trie, int utf8, int escape) {
        return compute(trie, new StringBody(COUNTED, 0, utf8, escape));
    }

    /** The table for a key that may be any (additional) key, in this {@code utf8} state. */
    static StringTokens forKey(TokenTrie trie, int utf8) {
        return compute(trie, new ObjectBody(FREE_KEYS, ObjectBody.KEY, 0, 0, 0, -1, utf8, -1, KeyHashes.EMPTY, KeyHashes.NONE));
    }

    private static StringTokens compute(TokenTrie trie, Frame top) {
        ParseState start = new ParseState(new Stack[] {new Stack(new End(), null).push(top)});
        long[] inside = new long[(trie.vocabSize + 63) >>> 6];
        List<long[]> kept = new ArrayList<>(); // {chars, id}
        List<Integer> closing = new ArrayList<>();
        trie.classify(LEXER, start, f -> !closed(f), new TokenTrie.Classes() {
            @Override
            public void inside(int id, Frame last) {
                inside[id >>> 6] |= 1L << id;
                kept.add(new long[] {last instanceof StringBody f ? f.length() : 0, id});
            }

            @Override
            public void leaving(int id) {
                closing.add(id);
            }
        });
        kept.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int[] byChars = new int[kept.size()], chars = new int[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            chars[i] = (int) kept.get(i)[0];
            byChars[i] = (int) kept.get(i)[1];
        }
        closing.sort(null);
        return new StringTokens(inside, byChars, chars, closing.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean closed(Frame top) {
        return top instanceof End || (top instanceof ObjectBody o && o.phase() != ObjectBody.KEY);
    }

    /** Sets the bits of the tokens that stay inside and add at most {@code room} characters; returns how many. */
    int insideWithin(int room, long[] bits) {
        if (chars.length == 0 || chars[chars.length - 1] <= room) {
            System.arraycopy(inside, 0, bits, 0, inside.length);
            return insideCount;
        }
        int n = 0;
        while (n < chars.length && chars[n] <= room) {
            int id = insideByChars[n++];
            bits[id >>> 6] |= 1L << id;
        }
        return n;
    }
}
