package dev.tinyforge.serve;

import dev.tinyforge.model.KvCache;
import java.util.Arrays;

/**
 * One of the batcher's sequences places: a KV cache and the tokens whose keys and values it holds.
 * What a finished sequence leaves in the cache stays there, so a later prompt that starts the same way
 * (a system prompt, a chat's history, a task template) evaluates only what follows the shared prefix.
 * Used by the batcher thread only; {@link #take}/{@link #give} make handing one slot to two sequences
 * fail loudly rather than mix their caches.
 */
final class Slot {
    final KvCache cache;
    /** {@code held[0 .. cache.length())}: the tokens the cache holds, valid while the slot is free. */
    private final int[] held;
    private boolean taken;

    Slot(KvCache cache) {
        this.cache = cache;
        this.held = new int[cache.capacity()];
    }

    /** Prompt tokens this slot's cache already holds: their common prefix, at most all but the last prompt token. */
    int sharedPrefix(int[] prompt) {
        int n = Math.min(cache.length(), prompt.length - 1);
        if (n <= 0) return 0;
        int mismatch = Arrays.mismatch(held, 0, n, prompt, 0, n);
        return mismatch < 0 ? n : mismatch;
    }

    /**
     * Whether reusing {@code shared} tokens here is worth overwriting the rest of what the slot holds: the
     * prefix must cover half the prompt or half the slot's tokens. Otherwise a few common tokens (BOS, a
     * template's header) would make every request land on, and wipe, the same long cached conversation
     * (llama.cpp's server has a similar threshold, slot_prompt_similarity).
     */
    boolean worthReusing(int shared, int promptLength) {
        return shared > 0 && 2L * shared >= Math.min(promptLength, cache.length());
    }

    /** Hands the slot to a sequence that starts from the first {@code reused} cached tokens. */
    void take(int reused) {
        if (taken) throw new IllegalStateException("a slot was handed to two sequences");
        taken = true;
        cache.truncate(reused);
    }

    /**
     * Takes the slot back from a sequence whose tokens were {@code tokens[0 .. cache.length())}; with
     * {@code valid} false (the model failed mid-step) the cache is forgotten.
     */
    void give(int[] tokens, boolean valid) {
        if (!taken) throw new IllegalStateException("a free slot was given back");
        taken = false;
        if (valid) {
            System.arraycopy(tokens, 0, held, 0, cache.length());
        } else {
            cache.truncate(0);
        }
    }
}
