package dev.tinyforge.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Byte-pair encoding of one pre-token ("word"), covering both layouts:
 * <ul>
 *   <li>byte-level BPE (GPT-2, Llama 3, Qwen2): the word's UTF-8 bytes are the initial symbols;</li>
 *   <li>SentencePiece-style BPE (Llama 2, Mistral, Gemma): code points are the initial symbols, and a code
 *       point missing from the vocabulary becomes its {@code <0xNN>} bytes (byte fallback) or UNK.</li>
 * </ul>
 * Then adjacent pairs merge lowest rank first, leftmost first among equal ranks (HF's order), driven by a
 * heap of packed (rank, position) longs over a linked list kept in int arrays: O(n log n) for the long
 * words SentencePiece layouts produce (a whole line is one word there). Results of short words are cached.
 * Thread-safe.
 */
final class BpeModel {
    /** Words up to this many chars are cached (HF caches below 256 bytes too). */
    private static final int CACHEABLE_LENGTH = 128;
    private static final int CACHE_CAPACITY = 1 << 17;

    private final ToIntFunction<String> vocab;
    private final MergeTable merges;
    private final int unkId;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final boolean byteLevel;

    /** Id of each BMP character's one-char piece, or -1. */
    private final int[] charIds = new int[0x10000];
    private final Map<Integer, Integer> astralIds = new HashMap<>();
    /** Id of {@code <0xNN>} (byte fallback) per byte, or -1. */
    private final int[] fallbackIds = new int[256];
    /** Id of the byte-level piece per byte, or -1 (byte-level layout only). */
    private final int[] byteIds = new int[256];
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param vocab the model's piece → id lookup (-1 when absent); added tokens that are not model pieces
     *     must not be in it
     * @param byteLevel whether words are byte-level encoded before the merges (a ByteLevel pre-tokenizer)
     */
    BpeModel(ToIntFunction<String> vocab, MergeTable merges, int unkId, boolean fuseUnk,
            boolean byteFallback, boolean ignoreMerges, boolean byteLevel, Iterable<String> pieces) {
        this.vocab = vocab;
        this.merges = merges;
        this.unkId = unkId;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        this.byteLevel = byteLevel;
        Arrays.fill(charIds, -1);
        for (String piece : pieces) {
            if (piece.isEmpty() || piece.codePointCount(0, piece.length()) != 1) continue;
            int cp = piece.codePointAt(0);
            int id = vocab.applyAsInt(piece);
            if (cp < 0x10000) charIds[cp] = id;
            else astralIds.put(cp, id);
        }
        for (int b = 0; b < 256; b++) {
            fallbackIds[b] = byteFallback ? vocab.applyAsInt(String.format("<0x%02X>", b)) : -1;
            byteIds[b] = byteLevel ? vocab.applyAsInt(String.valueOf(ByteLevel.charOf(b))) : -1;
        }
    }

    boolean byteLevel() {
        return byteLevel;
    }

    /** Appends the ids of one word (a non-empty pre-token, before byte-level mapping). */
    void encode(String word, IntList out) {
        boolean cacheable = word.length() <= CACHEABLE_LENGTH;
        if (cacheable) {
            int[] hit = cache.get(word);
            if (hit != null) {
                out.addAll(hit);
                return;
            }
        }
        int[] ids = encodeUncached(word);
        if (cacheable && cache.size() < CACHE_CAPACITY) cache.put(word, ids);
        out.addAll(ids);
    }

    private int[] encodeUncached(String word) {
        if (ignoreMerges) {
            // Llama 3: a word that is itself a piece is taken whole, whatever the merges would give.
            int id = vocab.applyAsInt(byteLevel ? ByteLevel.encode(word) : word);
            if (id >= 0) return new int[] {id};
        }
        Symbols symbols = byteLevel ? byteSymbols(word) : charSymbols(word);
        return symbols.mergeAll(merges);
    }

    private Symbols byteSymbols(String word) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        Symbols s = new Symbols(utf8.length);
        for (byte b : utf8) {
            int id = byteIds[b & 0xFF];
            if (id >= 0) s.flushUnkThen(id);
            else unknown(s, String.valueOf(ByteLevel.charOf(b)));
        }
        s.flushUnk();
        return s;
    }

    private Symbols charSymbols(String word) {
        Symbols s = new Symbols(word.length() + 8);
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            int id;
            if (cp < 0x10000) {
                id = charIds[cp];
            } else {
                Integer boxed = astralIds.get(cp);
                id = boxed == null ? -1 : boxed;
            }
            if (id >= 0) s.flushUnkThen(id);
            else unknown(s, Character.toString(cp));
        }
        s.flushUnk();
        return s;
    }

    /** A character with no piece of its own: byte fallback if every byte has a piece, else UNK, else dropped. */
    private void unknown(Symbols s, String ch) {
        if (byteFallback) {
            byte[] bytes = ch.getBytes(StandardCharsets.UTF_8);
            boolean all = true;
            for (byte b : bytes) all &= fallbackIds[b & 0xFF] >= 0;
            if (all) {
                // HF appends the byte pieces without flushing a pending UNK first; we keep its order.
                for (byte b : bytes) s.add(fallbackIds[b & 0xFF]);
                return;
            }
        }
        if (unkId < 0) return; // HF drops characters it cannot represent when there is no UNK piece
        if (s.pendingUnk && fuseUnk) return;
        s.flushUnk();
        s.pendingUnk = true;
    }

    /** The symbol sequence of one word as a doubly linked list in arrays; removed symbols hold -1. */
    private final class Symbols {
        int[] ids;
        int n;
        boolean pendingUnk;

        Symbols(int capacity) {
            ids = new int[Math.max(4, capacity)];
        }

        void add(int id) {
            if (n == ids.length) ids = Arrays.copyOf(ids, n * 2);
            ids[n++] = id;
        }

        void flushUnkThen(int id) {
            flushUnk();
            add(id);
        }

        void flushUnk() {
            if (pendingUnk) {
                add(unkId);
                pendingUnk = false;
            }
        }

        int[] mergeAll(MergeTable merges) {
            if (n < 2) return Arrays.copyOf(ids, n);
            int[] prev = new int[n];
            int[] next = new int[n];
            LongMinHeap heap = new LongMinHeap(n);
            for (int i = 0; i < n; i++) {
                prev[i] = i - 1;
                next[i] = i + 1;
                if (i + 1 < n) {
                    int r = merges.rank(ids[i], ids[i + 1]);
                    if (r >= 0) heap.push(((long) r << 32) | i);
                }
            }
            int live = n;
            while (!heap.isEmpty()) {
                long top = heap.pop();
                int rank = (int) (top >>> 32);
                int pos = (int) top;
                int left = ids[pos];
                if (left < 0) continue;
                int right = next[pos];
                // A stale entry: the pair at pos changed since it was queued.
                if (right >= n || !merges.isPair(rank, left, ids[right])) continue;
                int merged = merges.mergedId(rank);
                ids[pos] = merged;
                ids[right] = -1;
                int after = next[right];
                next[pos] = after;
                if (after < n) prev[after] = pos;
                live--;
                int before = prev[pos];
                if (before >= 0) {
                    int r = merges.rank(ids[before], merged);
                    if (r >= 0) heap.push(((long) r << 32) | before);
                }
                if (after < n) {
                    int r = merges.rank(merged, ids[after]);
                    if (r >= 0) heap.push(((long) r << 32) | pos);
                }
            }
            int[] result = new int[live];
            for (int i = 0, k = 0; i < n; i = next[i]) result[k++] = ids[i];
            return result;
        }
    }
}
