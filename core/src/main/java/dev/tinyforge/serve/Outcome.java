package dev.tinyforge.serve;

/**
 * How a generation ended, with counts and timings for usage reports and metrics.
 *
 * @param text            the whole generated text (stop strings cut off)
 * @param error           what went wrong, for {@link FinishReason#FAILED}; else null
 * @param promptTokens    tokens of the prompt
 * @param cachedPromptTokens how many of them came from a slot's cache (a shared prefix) instead of being evaluated
 * @param generatedTokens tokens generated (end tokens not counted)
 * @param queueNanos      waiting for a slot
 * @param promptNanos     from getting a slot to the first token's logits (prompt processing)
 * @param generateNanos   from then to the end
 */
public record Outcome(FinishReason reason, String text, String error, int promptTokens, int cachedPromptTokens, int generatedTokens,
                      long queueNanos, long promptNanos, long generateNanos) {
    /** Prompt tokens the model evaluated: those after the cached prefix. */
    public int evaluatedPromptTokens() {
        return promptTokens - cachedPromptTokens;
    }

    public int totalTokens() {
        return promptTokens + generatedTokens;
    }

    public long totalNanos() {
        return queueNanos + promptNanos + generateNanos;
    }
}
