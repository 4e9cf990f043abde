package dev.tinyforge.tokenizer;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The token table, independent of the file it came from: piece text, score and type per id, and the
 * reverse index. A HF tokenizer.json and a GGUF {@code tokenizer.ggml.*} block both load into this.
 * Ids without an entry (holes in a sparse tokenizer.json) have a {@code null} piece and type UNUSED.
 */
public final class Vocabulary {
    private final String[] pieces;
    private final float[] scores;
    private final TokenType[] types;
    private final Map<String, Integer> ids;

    /**
     * @param pieces one entry per id ({@code null} for an unused hole); the array is kept, not copied
     * @param scores per-id score (SentencePiece log-probabilities; zeros where the format has none), or null
     * @param types per-id type, or null for all NORMAL
     */
    public Vocabulary(String[] pieces, float[] scores, TokenType[] types) {
        this.pieces = Objects.requireNonNull(pieces);
        this.scores = scores != null ? scores : new float[pieces.length];
        this.types = types != null ? types : filled(pieces.length);
        if (this.scores.length != pieces.length || this.types.length != pieces.length) {
            throw new IllegalArgumentException("pieces, scores and types differ in length");
        }
        ids = HashMap.newHashMap(pieces.length);
        for (int id = 0; id < pieces.length; id++) {
            if (pieces[id] == null) {
                this.types[id] = TokenType.UNUSED;
            } else {
                ids.putIfAbsent(pieces[id], id); // the lowest id wins for a duplicated piece
            }
        }
    }

    private static TokenType[] filled(int n) {
        TokenType[] t = new TokenType[n];
        java.util.Arrays.fill(t, TokenType.NORMAL);
        return t;
    }

    public int size() {
        return pieces.length;
    }

    /** The piece for {@code id}, or {@code null} for an unused id or one out of range. */
    public String piece(int id) {
        return id >= 0 && id < pieces.length ? pieces[id] : null;
    }

    public float score(int id) {
        return scores[id];
    }

    public TokenType type(int id) {
        return types[id];
    }

    /** The id of {@code piece}, or -1. */
    public int id(String piece) {
        Integer id = ids.get(piece);
        return id == null ? -1 : id;
    }
}
