package dev.tinyforge.generate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns bytes that arrive in pieces into text, returning each character once its last byte is in: a
 * character split across tokens is never shown as halves.
 */
public final class Utf8Chunks {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Adds bytes and returns the text of the complete characters so far not yet returned. */
    public String accept(byte[] bytes) {
        pending.writeBytes(bytes);
        byte[] all = pending.toByteArray();
        int complete = completePrefix(all);
        pending.reset();
        pending.write(all, complete, all.length - complete);
        return new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    /** What is left (an unfinished character becomes U+FFFD). */
    public String flush() {
        String rest = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return rest;
    }

    /** The length of {@code b} without a trailing character that is still missing bytes. */
    private static int completePrefix(byte[] b) {
        for (int back = 1; back <= Math.min(3, b.length); back++) {
            int lead = b[b.length - back] & 0xFF;
            if (lead < 0x80) return b.length; // ASCII ends the text
            if (lead >= 0xC0) {
                int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
                return needed > back ? b.length - back : b.length;
            }
        }
        return b.length;
    }
}
