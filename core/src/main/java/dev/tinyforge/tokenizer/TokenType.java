package dev.tinyforge.tokenizer;

/**
 * What a vocabulary entry is, with the numbering of GGUF's {@code tokenizer.ggml.token_type} (and
 * SentencePiece's), so that a GGUF adapter maps codes with {@link #fromGguf} and a writer uses {@link #gguf}.
 */
public enum TokenType {
    NORMAL(1),
    UNKNOWN(2),
    /** Special tokens such as BOS/EOS: never produced from plain text unless special parsing is on. */
    CONTROL(3),
    /** Added tokens matched verbatim in the text before the model sees it. */
    USER_DEFINED(4),
    UNUSED(5),
    /** {@code <0xNN>} byte-fallback pieces. */
    BYTE(6);

    private final int gguf;

    TokenType(int gguf) {
        this.gguf = gguf;
    }

    public int gguf() {
        return gguf;
    }

    /** The type for a GGUF code, or {@code null} when the code is not one of 1..6. */
    public static TokenType fromGguf(int code) {
        for (TokenType t : values()) if (t.gguf == code) return t;
        return null;
    }
}
