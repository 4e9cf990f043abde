package dev.tinyforge.tokenizer;

import dev.tinyforge.util.LongIntHashMap;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 *
 * <p>llama.cpp merges a whole fragment at once, but no pair can ever merge across a boundary before an
 * escaped space whose left neighbour {@code c} never precedes U+2581 inside an entry (an entry would have
 * to contain "c▁"). In SentencePiece vocabularies only U+2581 itself does, so text falls apart into
 * words that merge independently, in the same order relative to each other; results of short words are
 * cached, as for BPE. Thread-safe.
 */
final class SpmModel {
    private static final char SPACE_ESCAPE = '\u2581';
    /** Words up to this many code points are cached. */
    private static final int CACHEABLE_LENGTH = 64;
    private static final int CACHE_CAPACITY = 1 << 17;

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
    /** Code points {@code c} such that some entry contains "c▁": a word boundary before ▁ is no boundary after them. */
    private final boolean[] joinsSpaceBmp = new boolean[0x10000];
    private final Set<Integer> joinsSpaceAstral = new HashSet<>();
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

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
            for (int k = piece.indexOf(SPACE_ESCAPE, 1); k > 0; k = piece.indexOf(SPACE_ESCAPE, k + 1)) {
                int c = piece.codePointBefore(k);
                if (c < 0x10000) joinsSpaceBmp[c] = true;
                else joinsSpaceAstral.add(c);
            }
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
        int[] word = new int[32];
        int length = 0;
        if (prefixSpace) word[length++] = SPACE_ESCAPE;
        for (int i = from; i < to; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == ' ') cp = SPACE_ESCAPE;
            if (cp == SPACE_ESCAPE && length > 0 && !joinsSpace(word[length - 1])) {
                encodeWord(word, length, out);
                length = 0;
            }
            if (length == word.length) word = Arrays.copyOf(word, length * 2);
            word[length++] = cp;
        }
        if (length > 0) encodeWord(word, length, out);
    }

    /** {@link #encode} as llama.cpp does it, the whole fragment at once: the reference the word split is tested against. */
    int[] encodeWhole(String text, boolean prefixSpace) {
        String escaped = (prefixSpace ? " " : "").concat(text).replace(' ', SPACE_ESCAPE);
        int[] cps = escaped.codePoints().toArray();
        return cps.length == 0 ? new int[0] : mergeWord(cps, cps.length);
    }

    private boolean joinsSpace(int cp) {
        return cp < 0x10000 ? joinsSpaceBmp[cp] : joinsSpaceAstral.contains(cp);
    }

    private void encodeWord(int[] cps, int n, IntList out) {
        if (n == 1) {
            int s = symbol(cps[0]);
            if (s >= 0 && s < vocabSize) out.add(s);
            else byteFallback(cps[0], out);
            return;
        }
        if (n > CACHEABLE_LENGTH) {
            out.addAll(mergeWord(cps, n));
            return;
        }
        String key = new String(cps, 0, n);
        int[] ids = cache.get(key);
        if (ids == null) {
            ids = mergeWord(cps, n);
            if (cache.size() < CACHE_CAPACITY) cache.put(key, ids);
        }
        out.addAll(ids);
    }

    private int[] mergeWord(int[] cps, int n) {
        int[] symbols = new int[n];
        for (int i = 0; i < n; i++) symbols[i] = symbol(cps[i]);
        mergeAll(symbols, n);
        IntList ids = new IntList(n);
        for (int i = 0; i < n; i++) {
            int s = symbols[i];
            if (s == Integer.MIN_VALUE) continue; // merged into its left neighbour
            if (s >= 0 && s < vocabSize) ids.add(s);
            else byteFallback(cps[i], ids);
        }
        return ids.toArray();
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
