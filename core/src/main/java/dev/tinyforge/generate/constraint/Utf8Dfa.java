package dev.tinyforge.generate.constraint;

/**
 * Well-formed UTF-8 (RFC 3629) byte by byte: no overlong forms, no surrogates, nothing above U+10FFFF.
 * State 0 is between characters; the others say how many continuation bytes remain and, for the first
 * of them, which range is allowed.
 */
final class Utf8Dfa {
    private Utf8Dfa() {}

    /** The state after byte {@code b}, or -1 when {@code b} cannot come here. */
    static int next(int state, int b) {
        return switch (state) {
            case 0 -> {
                if (b < 0x80) yield 0;
                if (b >= 0xC2 && b <= 0xDF) yield 1;
                if (b == 0xE0) yield 4;
                if (b == 0xED) yield 5;
                if (b >= 0xE1 && b <= 0xEF) yield 2;
                if (b == 0xF0) yield 6;
                if (b >= 0xF1 && b <= 0xF3) yield 3;
                if (b == 0xF4) yield 7;
                yield -1;
            }
            case 1 -> b >= 0x80 && b <= 0xBF ? 0 : -1;
            case 2 -> b >= 0x80 && b <= 0xBF ? 1 : -1;
            case 3 -> b >= 0x80 && b <= 0xBF ? 2 : -1;
            case 4 -> b >= 0xA0 && b <= 0xBF ? 1 : -1; // E0: no overlong three-byte forms
            case 5 -> b >= 0x80 && b <= 0x9F ? 1 : -1; // ED: no surrogates
            case 6 -> b >= 0x90 && b <= 0xBF ? 2 : -1; // F0: no overlong four-byte forms
            case 7 -> b >= 0x80 && b <= 0x8F ? 2 : -1; // F4: nothing above U+10FFFF
            default -> -1;
        };
    }
}
