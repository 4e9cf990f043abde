package dev.tinyforge.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in text the way HF's AddedVocabulary does: leftmost-longest matching over all
 * contents (a trie walked from each candidate start; a 64 K bitmap of first characters skips most
 * positions in one load), then the per-token rules: special tokens ignored when special parsing is off,
 * {@code single_word}, {@code lstrip}/{@code rstrip}. A rejected match is skipped whole, as HF's match
 * iterator does.
 */
final class AddedTokenMatcher {
    /** Receives the pieces of the text in order: plain spans and matched tokens. */
    interface Sink {
        void text(int start, int end);

        void token(AddedToken token);
    }

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        AddedToken token;
    }

    private final Node root = new Node();
    private final long[] firstChars = new long[0x10000 / 64];
    private final boolean empty;

    /** @param contents the text to match for each token (its content, normalized where the token says so) */
    AddedTokenMatcher(List<AddedToken> tokens, List<String> contents) {
        for (int t = 0; t < tokens.size(); t++) {
            String content = contents.get(t);
            if (content.isEmpty()) continue;
            Node node = root;
            for (int i = 0; i < content.length(); i++) node = node.children.computeIfAbsent(content.charAt(i), k -> new Node());
            if (node.token == null) node.token = tokens.get(t); // the first of two equal contents wins
            char first = content.charAt(0);
            firstChars[first >>> 6] |= 1L << first;
        }
        empty = root.children.isEmpty();
    }

    boolean isEmpty() {
        return empty;
    }

    void split(String text, boolean parseSpecial, Sink sink) {
        int n = text.length();
        int done = 0; // end of the last emitted piece
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if ((firstChars[c >>> 6] & (1L << c)) == 0) {
                i++;
                continue;
            }
            Node node = root;
            AddedToken best = null;
            int bestEnd = -1;
            for (int j = i; j < n; j++) {
                node = node.children.get(text.charAt(j));
                if (node == null) break;
                if (node.token != null) {
                    best = node.token;
                    bestEnd = j + 1;
                }
            }
            if (best == null) {
                i++;
                continue;
            }
            int start = i, stop = bestEnd;
            i = bestEnd; // the next search starts after this match even when it is rejected below
            if (best.special() && !parseSpecial) continue;
            if (best.singleWord()) {
                boolean wordBefore = start > 0 && CharClass.isWordChar(text.codePointBefore(start));
                boolean wordAfter = stop < n && CharClass.isWordChar(text.codePointAt(stop));
                if (wordBefore || wordAfter) continue;
            }
            if (best.lstrip()) {
                int s = start;
                while (s > 0 && CharClass.isWhiteSpace(text.charAt(s - 1))) s--;
                start = Math.max(s, done); // spaces an earlier token already took stay with it
            }
            if (best.rstrip()) {
                while (stop < n && CharClass.isWhiteSpace(text.charAt(stop))) stop++;
                i = Math.max(i, stop); // HF could then match inside the swallowed spaces; we never overlap
            }
            if (start > done) sink.text(done, start);
            sink.token(best);
            done = stop;
        }
        if (done < n) sink.text(done, n);
    }
}
