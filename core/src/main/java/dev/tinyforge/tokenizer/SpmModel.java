package dev.tinyforge.tokenizer;

import dev.tinyforge.util.LongIntHashMap;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * llama.cpp's SentencePiece tokenizer ({@code llm_tokenizer_spm}) for GGUF model "llama": the text's code
 * points start as symbols, and the adjacent pair whose concatenation is a vocabulary entry (of any type)
 * with the highest score merges first, the leftmost among equal scores, until no pair is an entry. A
 * symbol that is not an entry comes out as its UTF-8 bytes' {@code <0xNN>} tokens.
 *
 * <p>Instead of concatenating strings per candidate pair, every split of every entry into two symbols is
 * tabled once at load: (left symbol, right symbol) → merged id. A symbol is an entry's id or, for a single
 * code point that is not an entry but starts or ends one ("ab" without "a"), a virtual id past the
 * vocabulary. Encoding is then int arrays, a linked list and a heap of packed (score, position) longs.
 * Thread-safe.
 */
final class SpmModel {
    private static final char SPACE_ESCAPE = '\u2581';

    private final int vocabSize;
    /** Per id: the heap priority of merging into it, {@code ~sortable(score)} so that a min-heap pops the best. */
    private final int[] priority;
    /** Symbol of each BMP code point, or -1. */
    private final int[] charSymbol = new int[0x10000];
    private final Map<Integer, Integer> astralSymbol = new HashMap<>();
    private final LongIntHashMap merges;
    /** Token of each byte for the fallback, or -1. */
    private final int[] byteToken = new int[256];
    private final int unk;
    private int virtualCount;

    SpmModel(Vocabulary vocabulary, int unk) {
        this.vocabSize = vocabulary.size();
        this.unk = unk;
        priority = new int[vocabSize];
        Arrays.fill(charSymbol, -1);
        int splits = 0;
        for (int id = 0; id < vocabSize; id++) {
            String piece = vocabulary.piece(id);
            priority[id] = ~sortable(vocabulary.score(id));
            if (piece == null) continue;
            int cps = piece.codePointCount(0, piece.length());
            if (cps == 1) setSymbol(piece.codePointAt(0), id);
            splits += Math.max(0, cps - 1);
        }
        merges = new LongIntHashMap(Math.max(16, splits));
        for (int id = 0; id < vocabSize; id++) {
            String piece = vocabulary.piece(id);
            if (piece == null) continue;
            for (int k = piece.offsetByCodePoints(0, 1); k < piece.length(); k = piece.offsetByCodePoints(k, 1)) {
                int left = symbolOf(vocabulary, piece.substring(0, k));
                int right = symbolOf(vocabulary, piece.substring(k));
                if (left >= 0 && right >= 0) merges.putIfAbsent(pair(left, right), id, -1);
            }
        }
        for (int b = 0; b < 256; b++) {
            int id = vocabulary.id(String.format("<0x%02X>", b));
            // llama.cpp falls back to the byte itself as a piece, which only an ASCII byte can be here.
            if (id < 0 && b < 0x80) id = vocabulary.id(String.valueOf((char) b));
            byteToken[b] = id;
        }
    }

    /** The symbol of a split part: its id, a virtual id for a lone code point that is no entry, or -1. */
    private int symbolOf(Vocabulary vocabulary, String part) {
        int id = vocabulary.id(part);
        if (id >= 0) return id;
        if (part.codePointCount(0, part.length()) != 1) return -1; // can never be a symbol: merges only make entries
        int cp = part.codePointAt(0);
        int symbol = symbol(cp);
        if (symbol < 0) {
            symbol = vocabSize + virtualCount++;
            setSymbol(cp, symbol);
        }
        return symbol;
    }

    private int symbol(int cp) {
        if (cp < 0x10000) return charSymbol[cp];
        Integer s = astralSymbol.get(cp);
        return s == null ? -1 : s;
    }

    private void setSymbol(int cp, int symbol) {
        if (cp < 0x10000) charSymbol[cp] = symbol;
        else astralSymbol.put(cp, symbol);
    }

    private static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** Float order as int order (and -0.0 equal to 0.0, as C++ compares them). */
    private static int sortable(float score) {
        int bits = Float.floatToIntBits(score == 0f ? 0f : score);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    /**
     * Appends the ids of {@code text[from, to)} with its spaces escaped as U+2581, after one more escaped
     * space when {@code prefixSpace} (llama.cpp's add_space_prefix at the start of the text or after a
     * special token).
     */
    void encode(String text, int from, int to, boolean prefixSpace, IntList out) {
        int n = (prefixSpace ? 1 : 0) + text.codePointCount(from, to);
        if (n == 0) return;
        int[] cps = new int[n];
        int[] symbols = new int[n];
        int k = 0;
        if (prefixSpace) cps[k++] = SPACE_ESCAPE;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            cps[k++] = cp == ' ' ? SPACE_ESCAPE : cp;
        }
        for (int i = 0; i < n; i++) symbols[i] = symbol(cps[i]);
        if (n > 1) mergeAll(symbols, n);
        for (int i = 0; i < n; i++) {
            int s = symbols[i];
            if (s == Integer.MIN_VALUE) continue; // merged into its left neighbour
            if (s >= 0 && s < vocabSize) out.add(s);
            else byteFallback(cps[i], out);
        }
    }

    /** Merges in place; a symbol merged away becomes {@code Integer.MIN_VALUE}. */
    private void mergeAll(int[] symbols, int n) {
        int[] next = new int[n];
        int[] prev = new int[n];
        int[] merged = new int[n]; // merged id of the pair (i, next[i]), or -1
        LongMinHeap heap = new LongMinHeap(n);
        for (int i = 0; i < n; i++) {
            next[i] = i + 1;
            prev[i] = i - 1;
            merged[i] = i + 1 < n ? lookup(symbols[i], symbols[i + 1]) : -1;
            if (merged[i] >= 0) heap.push(key(merged[i], i));
        }
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int left = (int) top;
            int m = merged[left];
            // Stale unless the pair now at `left` merges with exactly the popped priority; if it does, it
            // is the best pair there is, whichever queued entry announced it.
            if (m < 0 || symbols[left] == Integer.MIN_VALUE || priority[m] != (int) (top >> 32)) continue;
            int right = next[left];
            symbols[left] = m;
            symbols[right] = Integer.MIN_VALUE;
            int after = next[right];
            next[left] = after;
            if (after < n) prev[after] = left;
            merged[left] = after < n ? lookup(m, symbols[after]) : -1;
            if (merged[left] >= 0) heap.push(key(merged[left], left));
            int before = prev[left];
            if (before >= 0) {
                merged[before] = lookup(symbols[before], m);
                if (merged[before] >= 0) heap.push(key(merged[before], before));
            }
        }
    }

    private int lookup(int left, int right) {
        if (left < 0 || right < 0) return -1;
        return merges.get(pair(left, right), -1);
    }

    private long key(int mergedId, int left) {
        return ((long) priority[mergedId] << 32) | left;
    }

    /** A symbol that is no entry: the {@code <0xNN>} tokens of its bytes (UNK where a byte has none). */
    private void byteFallback(int cp, IntList out) {
        byte[] bytes = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            int id = byteToken[b & 0xFF];
            // llama.cpp aborts on a byte without a token; we emit UNK (or nothing without one) instead.
            if (id < 0) id = unk;
            if (id >= 0) out.add(id);
        }
    }
}
