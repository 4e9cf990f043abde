package dev.tinyforge.tokenizer;

import java.util.Arrays;

/**
 * Decodes ids that arrive one at a time, returning text only once it is complete: a character spread
 * over several byte-fallback or byte-level tokens comes out whole when its last byte arrives, never as
 * U+FFFD halves, and text that a later id could still change is held back until it cannot. The
 * concatenation of all returned strings plus {@link #flush()} equals
 * {@link Tokenizer#decode} of all ids.
 *
 * <p>It works on the decoder's own output, as HF's DecodeStream does: it decodes the pending ids together
 * with the previously emitted ones (context matters: SentencePiece strips the first leading space) and
 * returns what lies beyond the text already given. Not thread-safe; one per generation.
 */
public final class StreamingDecoder {
    /** A character is at most 4 bytes; pending ids beyond this can no longer complete one. */
    private static final int MAX_PENDING = 8;

    private final Tokenizer tokenizer;
    private final boolean skipSpecial;
    private int[] ids = new int[16];
    private int size;
    /** ids[0..contextEnd) were emitted already and decode to {@link #prefix}. */
    private int contextEnd;
    private String prefix = "";

    StreamingDecoder(Tokenizer tokenizer, boolean skipSpecial) {
        this.tokenizer = tokenizer;
        this.skipSpecial = skipSpecial;
    }

    /**
     * Sets the ids that come before the stream (e.g. the prompt's last tokens) as context, without
     * emitting them, so the first streamed token decodes as a continuation: SentencePiece would
     * otherwise strip its leading space as if it began the text.
     */
    public StreamingDecoder prime(int[] context) {
        int from = Math.max(0, context.length - MAX_PENDING);
        size = context.length - from;
        if (size > ids.length) ids = new int[size * 2];
        System.arraycopy(context, from, ids, 0, size);
        contextEnd = size;
        prefix = tokenizer.decode(ids, 0, size, skipSpecial);
        return this;
    }

    /** Adds one id and returns the text it completes, possibly empty. */
    public String accept(int id) {
        if (size == ids.length) ids = Arrays.copyOf(ids, size * 2);
        ids[size++] = id;
        String text = tokenizer.decode(ids, 0, size, skipSpecial);
        // An unfinished character, or an end that later ids may still rewrite (llama.cpp's space clean-up).
        boolean incomplete = (text.endsWith("\uFFFD") || tokenizer.tailMayChange(text)) && size - contextEnd < MAX_PENDING;
        if (text.length() <= prefix.length() || incomplete) return "";
        // The emitted text is normally a prefix of the new decode; if a forced emission was rewritten after
        // all (a space that punctuation removed), go on from where they part rather than drop new text.
        String fresh = text.startsWith(prefix) ? text.substring(prefix.length()) : text.substring(commonPrefix(text, prefix));
        // The ids just emitted become the context of the next ones; older ones are no longer needed.
        int keep = size - contextEnd;
        System.arraycopy(ids, contextEnd, ids, 0, keep);
        size = keep;
        contextEnd = keep;
        prefix = tokenizer.decode(ids, 0, size, skipSpecial);
        return fresh;
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length()), i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) i++;
        return i;
    }

    /** Returns whatever is still pending (an unfinished character becomes U+FFFD) and starts afresh. */
    public String flush() {
        String text = tokenizer.decode(ids, 0, size, skipSpecial);
        String rest = text.length() > prefix.length() && text.startsWith(prefix) ? text.substring(prefix.length()) : "";
        size = 0;
        contextEnd = 0;
        prefix = "";
        return rest;
    }
}
