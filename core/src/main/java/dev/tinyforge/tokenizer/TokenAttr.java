package dev.tinyforge.tokenizer;

/**
 * llama.cpp's per-token attribute bits. A GGUF {@code token_type} gives one of them, and llama.cpp then
 * adds more by token text (an end-of-generation token that was not typed CONTROL becomes CONTROL too;
 * Phi-3's special tokens swallow the white space after them). Tokenization and rendering test bits, so a
 * token can be USER_DEFINED and CONTROL at once, which one {@link TokenType} cannot say.
 */
final class TokenAttr {
    static final int UNDEFINED = 0;
    static final int UNKNOWN = 1;
    static final int UNUSED = 1 << 1;
    static final int NORMAL = 1 << 2;
    static final int CONTROL = 1 << 3;
    static final int USER_DEFINED = 1 << 4;
    static final int BYTE = 1 << 5;
    static final int LSTRIP = 1 << 7;
    static final int RSTRIP = 1 << 8;

    /** Tokens found verbatim in the text before the model runs (llama.cpp's special-token cache). */
    static final int MATCHED_IN_TEXT = CONTROL | USER_DEFINED | UNKNOWN;
    /** Tokens that parse_special = false leaves unmatched and unparse_special = false leaves unrendered. */
    static final int SPECIAL = CONTROL | UNKNOWN;

    private TokenAttr() {}

    /** The attribute of a GGUF {@code token_type} code (llama.cpp's mapping; unknown codes are UNDEFINED). */
    static int fromGgufType(long code) {
        return switch ((int) Math.max(-1, Math.min(code, 7))) {
            case 1 -> NORMAL;
            case 2 -> UNKNOWN;
            case 3 -> CONTROL;
            case 4 -> USER_DEFINED;
            case 5 -> UNUSED;
            case 6 -> BYTE;
            default -> UNDEFINED;
        };
    }

    /** The one {@link TokenType} that describes {@code attr} best (what the token does when parsed). */
    static TokenType type(int attr) {
        if ((attr & UNKNOWN) != 0) return TokenType.UNKNOWN;
        if ((attr & CONTROL) != 0) return TokenType.CONTROL;
        if ((attr & USER_DEFINED) != 0) return TokenType.USER_DEFINED;
        if ((attr & BYTE) != 0) return TokenType.BYTE;
        if ((attr & NORMAL) != 0) return TokenType.NORMAL;
        return TokenType.UNUSED;
    }
}
