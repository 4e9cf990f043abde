package dev.tinyforge.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds special and user-defined tokens in raw text the way llama.cpp's {@code tokenizer_st_partition}
 * does, which is not HF's leftmost-longest rule: tokens are tried one at a time, longest (in UTF-8
 * bytes) first, and each takes every non-overlapping occurrence, left to right, inside the text that
 * earlier tokens left over. A token with LSTRIP/RSTRIP also drops the ASCII white space ({@code isspace})
 * before/after it within that text. With parse_special off, CONTROL and UNKNOWN tokens are not looked for.
 *
 * <p>All occurrences are first found in one pass over a trie (a 64 K bitmap of first characters skips
 * most positions); the priority rule is only replayed when something matched, which plain text rarely does.
 */
final class SpecialTokenSplitter {
    /** Receives the pieces of the text in order: plain spans and matched token ids. */
    interface Sink {
        void text(int start, int end);

        void token(int id);
    }

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        int token = -1; // index into ids/attrs, which are in priority order
    }

    private final Node root = new Node();
    private final long[] firstChars = new long[0x10000 / 64];
    private final int[] ids;
    private final int[] lengths;
    private final int[] attrs;

    /**
     * @param ids the tokens to look for (those with a {@link TokenAttr#MATCHED_IN_TEXT} bit)
     * @param texts their text
     * @param attrs their attributes
     */
    SpecialTokenSplitter(int[] ids, String[] texts, int[] attrs) {
        int n = ids.length;
        int[] utf8Length = new int[n];
        for (int i = 0; i < n; i++) utf8Length[i] = texts[i].getBytes(StandardCharsets.UTF_8).length;
        // llama.cpp sorts by byte length with std::sort, whose order among equal lengths is unspecified; we use id order.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> -utf8Length[i]).thenComparingInt(i -> ids[i]));
        this.ids = new int[n];
        this.lengths = new int[n];
        this.attrs = new int[n];
        for (int rank = 0; rank < n; rank++) {
            int i = order[rank];
            this.ids[rank] = ids[i];
            this.lengths[rank] = texts[i].length();
            this.attrs[rank] = attrs[i];
            insert(texts[i], rank);
        }
    }

    private void insert(String text, int rank) {
        if (text.isEmpty()) return;
        Node node = root;
        for (int i = 0; i < text.length(); i++) node = node.children.computeIfAbsent(text.charAt(i), k -> new Node());
        if (node.token < 0) node.token = rank;
        char first = text.charAt(0);
        firstChars[first >>> 6] |= 1L << first;
    }

    /** Sends the text spans and matched tokens of {@code text} to {@code sink}, in order. */
    void split(String text, boolean parseSpecial, Sink sink) {
        long[] found = occurrences(text, parseSpecial);
        if (found.length == 0) {
            if (!text.isEmpty()) sink.text(0, text.length());
            return;
        }
        // Replay llama.cpp: occurrences sorted by (priority, position); each splits the text span holding it.
        Arrays.sort(found);
        TreeMap<Integer, Integer> spans = new TreeMap<>();
        TreeMap<Integer, Integer> tokens = new TreeMap<>();
        spans.put(0, text.length());
        for (long f : found) {
            int rank = (int) (f >>> 32), start = (int) f, end = start + lengths[rank];
            Map.Entry<Integer, Integer> span = spans.floorEntry(start);
            if (span == null || span.getValue() < end) continue; // overlaps a token or stripped space
            spans.remove(span.getKey());
            int left = start;
            if ((attrs[rank] & TokenAttr.LSTRIP) != 0) {
                while (left > span.getKey() && isCSpace(text.charAt(left - 1))) left--;
            }
            if (left > span.getKey()) spans.put(span.getKey(), left);
            int right = end;
            if ((attrs[rank] & TokenAttr.RSTRIP) != 0) {
                while (right < span.getValue() && isCSpace(text.charAt(right))) right++;
            }
            if (right < span.getValue()) spans.put(right, span.getValue());
            tokens.put(start, ids[rank]);
        }
        Map.Entry<Integer, Integer> span = spans.firstEntry();
        Map.Entry<Integer, Integer> token = tokens.firstEntry();
        while (span != null || token != null) {
            if (token == null || (span != null && span.getKey() < token.getKey())) {
                sink.text(span.getKey(), span.getValue());
                span = spans.higherEntry(span.getKey());
            } else {
                sink.token(token.getValue());
                token = tokens.higherEntry(token.getKey());
            }
        }
    }

    /** Every (priority rank, start) of an eligible token in {@code text}, packed as longs. */
    private long[] occurrences(String text, boolean parseSpecial) {
        long[] found = null;
        int count = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if ((firstChars[c >>> 6] & (1L << c)) == 0) continue;
            Node node = root;
            for (int j = i; j < n; j++) {
                node = node.children.get(text.charAt(j));
                if (node == null) break;
                int rank = node.token;
                if (rank < 0 || (!parseSpecial && (attrs[rank] & TokenAttr.SPECIAL) != 0)) continue;
                if (found == null) found = new long[8];
                else if (count == found.length) found = Arrays.copyOf(found, count * 2);
                found[count++] = ((long) rank << 32) | i;
            }
        }
        return found == null ? new long[0] : Arrays.copyOf(found, count);
    }

    /** C's {@code isspace} in the "C" locale, which llama.cpp uses for LSTRIP/RSTRIP. */
    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
