package dev.tinyforge.generate;

import dev.tinyforge.model.Transformer;
import dev.tinyforge.tensor.VectorMath;
import java.util.function.IntConsumer;

/**
 * Perplexity the way llama-perplexity computes it: the tokens are cut into non-overlapping chunks
 * of {@code ctx}, each chunk's first token is replaced by BOS, and the second half of each chunk is
 * scored (positions ctx/2 .. ctx-2 predicting the next token), so every scored token has at least
 * ctx/2 tokens of context.
 */
public final class Perplexity {
    /** The estimate after each chunk, and the final one with llama.cpp's standard error. */
    public record Result(double[] runningEstimates, double perplexity, double uncertainty, int scoredTokens) {}

    private Perplexity() {}

    public static Result compute(Transformer transformer, int[] tokens, int ctx, int bos, IntConsumer onChunk) {
        int chunks = tokens.length / ctx;
        if (chunks == 0) {
            throw new IllegalArgumentException("the text has " + tokens.length + " tokens; at least " + ctx
                    + " (one chunk of --ctx) are needed");
        }
        int first = ctx / 2;
        double nll = 0, nll2 = 0;
        int count = 0;
        double[] running = new double[chunks];
        int vocab = transformer.config().vocabSize();
        for (int c = 0; c < chunks; c++) {
            int[] chunk = java.util.Arrays.copyOfRange(tokens, c * ctx, (c + 1) * ctx);
            if (bos >= 0) chunk[0] = bos;
            float[] logits = transformer.forward(chunk, 0, ctx, transformer.newCache(), true);
            for (int j = first; j < ctx - 1; j++) {
                double logProb = VectorMath.logSoftmaxAt(logits, j * vocab, vocab, chunk[j + 1]);
                nll -= logProb;
                nll2 += logProb * logProb;
                count++;
            }
            running[c] = Math.exp(nll / count);
            onChunk.accept(c);
        }
        double mean = nll / count;
        double variance = nll2 / count - mean * mean;
        double error = variance > 0 && count > 1 ? Math.sqrt(variance / (count - 1)) : 0;
        double ppl = Math.exp(mean);
        return new Result(running, ppl, error * ppl, count);
    }
}
