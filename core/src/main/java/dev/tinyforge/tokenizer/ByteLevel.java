package dev.tinyforge.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte-to-character map used by byte-level BPE (GPT-2, Llama 3, Qwen2): printable
 * Latin-1 bytes stand for themselves and the other 68 bytes get the characters U+0100 onwards, so every
 * byte string is a string of visible characters ({@code ' '} becomes {@code 'Ġ'}, {@code '\n'} becomes
 * {@code 'Ċ'}). Vocabulary pieces of these tokenizers are written in that alphabet.
 */
public final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[0x200];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (0x100 + next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {}

    /** The character that stands for {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a character stands for, or -1 when it is not in the alphabet. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The byte-level spelling of {@code text}'s UTF-8 bytes. */
    public static String encode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) out[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
        return new String(out);
    }

    /**
     * Appends the bytes a piece stands for. As HF's ByteLevel decoder does, a piece with any character
     * outside the alphabet (an added token such as {@code "<think>"} with a space) counts as its own UTF-8.
     */
    static void appendBytes(String piece, ByteArrayOutputStream out) {
        for (int i = 0; i < piece.length(); i++) {
            if (byteOf(piece.charAt(i)) < 0) {
                out.writeBytes(piece.getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        for (int i = 0; i < piece.length(); i++) out.write(byteOf(piece.charAt(i)));
    }
}
