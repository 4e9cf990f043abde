package dev.tinyforge.train;

import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.util.Hashing;

/**
 * PEFT's {@code lora_dropout}: y = x Wᵀ + s · B(A(dropout(x))), where inverted dropout (an entry
 * kept with probability 1 − p and scaled by 1/(1 − p)) acts on the input of the LoRA branch only,
 * and only while training. Every adapted matrix gets its own mask, as each PEFT LoRA layer has its
 * own dropout module.
 *
 * <p>A mask is never stored: entry i of a matrix's mask is a hash of (row key, layer, target, i), a
 * counter-based generator. So the backward pass sees the forward pass's mask, the masks do not
 * depend on the thread count, and a row key made from the run's seed, the step and the micro-batch
 * makes a run (and its resumption) reproducible.
 */
final class LoraDropout {
    private final double p;
    /** An entry is kept when the top 53 bits of its hash, as a fraction of 2^53, are at least p. */
    private final long threshold;
    private final float keptScale;

    LoraDropout(double p) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("dropout must be in (0, 1), got " + p);
        this.p = p;
        this.threshold = (long) Math.ceil(p * 0x1p53);
        this.keptScale = (float) (1 / (1 - p));
    }

    double probability() {
        return p;
    }

    /** The key of a training row's masks: one per (seed, optimizer step, sequence within the step). */
    static long rowKey(long seed, int step, int sequence) {
        return Hashing.mix(Hashing.mix(Hashing.mix(seed ^ 0x6C6F7261L) + step) + sequence);
    }

    /** The key of one adapted matrix's mask within a row. */
    static long matrixKey(long rowKey, int layer, LoraTarget target) {
        return Hashing.mix(rowKey ^ Hashing.mix(((long) layer << 8) + target.ordinal() + 1));
    }

    boolean kept(long matrixKey, long i) {
        return Hashing.mix(matrixKey + i * 0x9E3779B97F4A7C15L) >>> 11 >= threshold;
    }

    /**
     * out[i] = x[i] / (1 − p) where entry i is kept, else 0, for i &lt; n (out may be x). Forward it
     * drops the LoRA input; backward it takes the gradient of that input through the same mask.
     */
    void apply(long matrixKey, float[] x, float[] out, int n) {
        int step = 4096;
        Parallel.forRange((n + step - 1) / step, 1, (a, b) -> {
            for (int i = a * step, end = Math.min(n, b * step); i < end; i++) {
                out[i] = kept(matrixKey, i) ? x[i] * keptScale : 0f;
            }
        });
    }
}
