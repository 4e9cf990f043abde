package dev.tinyforge.tokenizer;

/**
 * The Unicode character classes that tokenizer regexes and splitters use, with the exact definitions
 * of the Rust/Oniguruma engines HF tokenizers runs on: {@code \p{L}}, {@code \p{N}}, {@code \s} as the
 * White_Space property (not Java's ASCII {@code \s} nor {@link Character#isWhitespace}, which differ).
 * A 64 K table answers for the BMP so that scanners pay one array load per character.
 */
final class CharClass {
    static final byte OTHER = 0, LETTER = 1, NUMBER = 2, SPACE = 3;

    private static final byte[] BMP = new byte[0x10000];

    static {
        for (int c = 0; c < BMP.length; c++) BMP[c] = compute(c);
    }

    private CharClass() {}

    /** One of {@link #OTHER}, {@link #LETTER}, {@link #NUMBER}, {@link #SPACE}. */
    static byte of(int cp) {
        return cp < 0x10000 ? BMP[cp] : compute(cp);
    }

    static boolean isLetter(int cp) {
        return of(cp) == LETTER;
    }

    static boolean isNumber(int cp) {
        return of(cp) == NUMBER;
    }

    /** Unicode White_Space, which is what {@code \s} means in Oniguruma and Rust regex. */
    static boolean isWhiteSpace(int cp) {
        return switch (cp) {
            case 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x2000 && cp <= 0x200A);
        };
    }

    /** Rust regex's Unicode {@code \w}: Alphabetic, marks, decimal digits, connector punctuation, joiners. */
    static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp)) return true;
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK || t == Character.COMBINING_SPACING_MARK
                || t == Character.DECIMAL_DIGIT_NUMBER || t == Character.CONNECTOR_PUNCTUATION
                || cp == 0x200C || cp == 0x200D;
    }

    private static byte compute(int cp) {
        if (isWhiteSpace(cp)) return SPACE;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }
}
