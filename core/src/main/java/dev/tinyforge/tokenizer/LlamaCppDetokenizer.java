package dev.tinyforge.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * llama.cpp's {@code detokenize} (with remove_special = false, as its common helpers call it): each id
 * renders to bytes by its attribute, the bytes are joined, and then
 * <ul>
 *   <li>with add_space_prefix (SentencePiece), one leading space of the first id's piece is dropped;</li>
 *   <li>with skipSpecial (unparse_special = false), CONTROL and UNKNOWN ids render as nothing;</li>
 *   <li>with clean_spaces (most byte-level BPE families), {@link CleanSpaces} runs on the result.</li>
 * </ul>
 * Pieces are rendered once at load, as llama.cpp's piece cache does.
 */
final class LlamaCppDetokenizer {
    private final byte[][] pieces;
    private final int[] attrs;
    private final boolean dropFirstSpace;
    private final boolean cleanSpaces;

    /**
     * @param byteLevel pieces of NORMAL tokens are in GPT-2's byte alphabet (model "gpt2"); otherwise U+2581
     *     stands for a space (model "llama")
     */
    LlamaCppDetokenizer(String[] texts, int[] attrs, boolean byteLevel, boolean dropFirstSpace, boolean cleanSpaces) {
        this.attrs = attrs;
        this.dropFirstSpace = dropFirstSpace;
        this.cleanSpaces = cleanSpaces;
        pieces = new byte[texts.length][];
        for (int id = 0; id < texts.length; id++) pieces[id] = render(texts[id], attrs[id], byteLevel);
    }

    /** llama.cpp's {@code token_to_piece} with special = true; the order of the attribute tests matters. */
    private static byte[] render(String text, int attr, boolean byteLevel) {
        if ((attr & TokenAttr.MATCHED_IN_TEXT) != 0) return text.getBytes(StandardCharsets.UTF_8);
        if ((attr & TokenAttr.NORMAL) != 0) {
            return byteLevel ? byteLevelBytes(text) : text.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
        }
        if ((attr & TokenAttr.BYTE) != 0) return new byte[] {(byte) hexByte(text)};
        return new byte[0]; // UNUSED and UNDEFINED render as nothing
    }

    /** GPT-2's alphabet back to bytes; a character outside it shows as llama.cpp's {@code [UNK_BYTE_0x..]} marker. */
    private static byte[] byteLevelBytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int b = cp < 0x10000 ? ByteLevel.byteOf((char) cp) : -1;
            if (b >= 0) {
                out.write(b);
                continue;
            }
            StringBuilder marker = new StringBuilder("[UNK_BYTE_0x");
            for (byte u : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) marker.append(String.format("%02x", u & 0xFF));
            out.writeBytes(marker.append(text).append(']').toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** The byte of a {@code <0xNN>} piece, parsed as llama.cpp does ({@code strtol} of the two chars after "<0x"). */
    private static int hexByte(String text) {
        int value = 0;
        for (int i = 3; i < Math.min(5, text.length()); i++) {
            int d = Character.digit(text.charAt(i), 16);
            if (d < 0) break;
            value = value * 16 + d;
        }
        return value;
    }

    String decode(int[] ids, int from, int to, boolean skipSpecial) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(16, (to - from) * 4));
        boolean dropSpace = dropFirstSpace;
        for (int i = from; i < to; i++) {
            int id = ids[i];
            if (id < 0 || id >= pieces.length) continue; // llama.cpp would throw; HF skips, and so do we
            boolean hidden = skipSpecial && (attrs[id] & TokenAttr.SPECIAL) != 0;
            byte[] piece = hidden ? new byte[0] : pieces[id];
            int skip = dropSpace && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            dropSpace = false; // only ever the first id's piece, even when that renders as nothing
            bytes.write(piece, skip, piece.length - skip);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        return cleanSpaces ? CleanSpaces.apply(text) : text;
    }

    /** The piece of {@code id} as rendered after other ids, without the clean-up; empty for special ids. */
    byte[] tokenBytes(int id) {
        if (id < 0 || id >= pieces.length || (attrs[id] & TokenAttr.SPECIAL) != 0) return new byte[0];
        return pieces[id].clone();
    }

    boolean tailMayChange(String decoded) {
        return cleanSpaces && CleanSpaces.tailMayChange(decoded);
    }

    boolean isSpecial(int id) {
        return id >= 0 && id < attrs.length && (attrs[id] & TokenAttr.SPECIAL) != 0;
    }
}
