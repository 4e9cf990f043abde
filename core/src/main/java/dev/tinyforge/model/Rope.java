package dev.tinyforge.model;

/**
 * Rotary position embedding with precomputed angles. Frequencies follow the config's base and
 * scaling; {@link Layout} says which dimensions of a head rotate together.
 */
public final class Rope {
    /** Which two dimensions of a head form a rotating pair. */
    public enum Layout {
        /** i with i + d/2: HF checkpoints, and GGUF qwen2/gemma ("NeoX" rope). */
        HALVES,
        /** 2i with 2i + 1: GGUF llama-architecture files, whose q/k rows the converter permuted. */
        ADJACENT
    }

    private final Layout layout;
    private final int headDim;
    private final int maxPositions;
    private final float[] cos, sin;

    /**
     * @param freqFactors per-frequency divisors from a GGUF {@code rope_freqs} tensor, or null
     */
    public Rope(ModelConfig config, Layout layout, float[] freqFactors, int maxPositions) {
        this.layout = layout;
        this.headDim = config.headDim();
        this.maxPositions = maxPositions;
        int half = headDim / 2;
        double[] invFreq = inverseFrequencies(config, freqFactors);
        cos = new float[maxPositions * half];
        sin = new float[maxPositions * half];
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * invFreq[i];
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
    }

    /** Inverse frequency of each rotating pair: the config's base and scaling, then divided by {@code freqFactors}. */
    public static double[] inverseFrequencies(ModelConfig config, float[] freqFactors) {
        int half = config.headDim() / 2;
        if (freqFactors != null && freqFactors.length != half) {
            throw new IllegalArgumentException("rope_freqs has " + freqFactors.length + " values, expected " + half);
        }
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = Math.pow(config.ropeTheta(), -2.0 * i / config.headDim());
        }
        switch (config.ropeScaling()) {
            case RopeScaling.None none -> {}
            case RopeScaling.Linear linear -> {
                for (int i = 0; i < half; i++) inv[i] /= linear.factor();
            }
            case RopeScaling.Llama3 l -> {
                double lowWavelen = l.originalContextLength() / l.lowFreqFactor();
                double highWavelen = l.originalContextLength() / l.highFreqFactor();
                for (int i = 0; i < half; i++) {
                    double wavelen = 2 * Math.PI / inv[i];
                    if (wavelen > lowWavelen) {
                        inv[i] /= l.factor();
                    } else if (wavelen >= highWavelen) {
                        double smooth = (l.originalContextLength() / wavelen - l.lowFreqFactor())
                                / (l.highFreqFactor() - l.lowFreqFactor());
                        inv[i] = (1 - smooth) * inv[i] / l.factor() + smooth * inv[i];
                    }
                }
            }
        }
        if (freqFactors != null) {
            for (int i = 0; i < half; i++) inv[i] /= freqFactors[i];
        }
        return inv;
    }

    public int maxPositions() {
        return maxPositions;
    }

    /** Rotates {@code heads} consecutive heads of x[off ..] in place for position {@code pos}. */
    public void apply(float[] x, int off, int heads, int pos) {
        rotate(x, off, heads, pos, 1f);
    }

    /** The inverse rotation (the transpose): carries gradients back through {@link #apply}. */
    public void applyInverse(float[] x, int off, int heads, int pos) {
        rotate(x, off, heads, pos, -1f);
    }

    private void rotate(float[] x, int off, int heads, int pos, float direction) {
        if (pos < 0 || pos >= maxPositions) {
            throw new IllegalArgumentException("position " + pos + " is outside the context of " + maxPositions);
        }
        int half = headDim / 2;
        int table = pos * half;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int i = 0; i < half; i++) {
                int a = layout == Layout.HALVES ? base + i : base + 2 * i;
                int b = layout == Layout.HALVES ? base + i + half : base + 2 * i + 1;
                float c = cos[table + i], s = direction * sin[table + i];
                float x0 = x[a], x1 = x[b];
                x[a] = x0 * c - x1 * s;
                x[b] = x0 * s + x1 * c;
            }
        }
    }
}
