package dev.tinyforge.model;

import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.tensor.VectorMath;

/**
 * The forward pass of the Llama family (Llama, Mistral, Qwen2, Gemma): embeddings, then per layer
 * RMSNorm → q/k/v (+bias) → RoPE → causal GQA attention over the cache → output projection →
 * residual → RMSNorm → gated MLP → residual; then the final norm and the vocabulary projection.
 * A call processes a batch of consecutive tokens of one sequence (a prompt, or one new token).
 */
public final class Transformer {
    private final ModelConfig config;
    private final ModelWeights weights;
    private final Rope rope;
    private final float embeddingScale;

    public Transformer(ModelConfig config, ModelWeights weights, int maxContext) {
        if (weights.layers().size() != config.layers()) {
            throw new IllegalArgumentException("config has " + config.layers() + " layers, weights " + weights.layers().size());
        }
        this.config = config;
        this.weights = weights;
        this.rope = new Rope(config, weights.ropeLayout(), weights.ropeFreqFactors(), maxContext);
        // Gemma scales embeddings by sqrt(hidden), rounded to the activation type (float here).
        this.embeddingScale = config.scaleEmbeddings() ? (float) Math.sqrt(config.hiddenSize()) : 1f;
    }

    public ModelConfig config() {
        return config;
    }

    public ModelWeights weights() {
        return weights;
    }

    /** A cache for one sequence of up to the model's maximum context. */
    public KvCache newCache() {
        return new KvCache(config, rope.maxPositions());
    }

    /**
     * Runs {@code count} tokens from {@code tokens[offset]} at the positions following what
     * {@code cache} holds, and appends their keys and values to it.
     *
     * @return the logits of the last token ({@code vocab} values), or of every token
     *         ({@code count × vocab}) when {@code allLogits}
     */
    public float[] forward(int[] tokens, int offset, int count, KvCache cache, boolean allLogits) {
        int start = cache.length();
        if (count < 1) throw new IllegalArgumentException("nothing to run");
        if (start + count > cache.capacity()) {
            throw new IllegalArgumentException("context full: " + (start + count) + " tokens exceed " + cache.capacity());
        }
        int h = config.hiddenSize(), qDim = config.queryDim(), kvDim = config.kvDim(), ffn = config.intermediateSize();
        float[] x = new float[count * h];
        for (int t = 0; t < count; t++) {
            int token = tokens[offset + t];
            if (token < 0 || token >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + token + " is outside the vocabulary of " + config.vocabSize());
            }
            weights.embedding().row(token, x, t * h);
            if (embeddingScale != 1f) {
                for (int i = t * h; i < (t + 1) * h; i++) x[i] *= embeddingScale;
            }
        }
        float[] norm = new float[count * h];
        float[] q = new float[count * qDim], k = new float[count * kvDim], v = new float[count * kvDim];
        float[] attention = new float[count * qDim];
        float[] projected = new float[count * h];
        float[] gate = new float[count * ffn], up = new float[count * ffn];
        for (int l = 0; l < config.layers(); l++) {
            LayerWeights w = weights.layers().get(l);
            normRows(norm, x, w.attentionNorm(), count);
            w.query().multiply(norm, q, count);
            w.key().multiply(norm, k, count);
            w.value().multiply(norm, v, count);
            addBias(q, w.queryBias(), count);
            addBias(k, w.keyBias(), count);
            addBias(v, w.valueBias(), count);
            float[] keyCache = cache.keys[l], valueCache = cache.values[l];
            for (int t = 0; t < count; t++) {
                rope.apply(q, t * qDim, config.heads(), start + t);
                rope.apply(k, t * kvDim, config.kvHeads(), start + t);
                System.arraycopy(k, t * kvDim, keyCache, (start + t) * kvDim, kvDim);
                System.arraycopy(v, t * kvDim, valueCache, (start + t) * kvDim, kvDim);
            }
            attend(q, keyCache, valueCache, attention, start, count);
            w.output().multiply(attention, projected, count);
            for (int i = 0; i < x.length; i++) x[i] += projected[i];

            normRows(norm, x, w.ffnNorm(), count);
            w.gate().multiply(norm, gate, count);
            w.up().multiply(norm, up, count);
            if (config.activation() == Activation.SILU) {
                VectorMath.swiglu(gate, up, 0, gate.length);
            } else {
                VectorMath.geglu(gate, up, 0, gate.length);
            }
            w.down().multiply(gate, projected, count);
            for (int i = 0; i < x.length; i++) x[i] += projected[i];
        }
        cache.advance(count);

        int rows = allLogits ? count : 1;
        float[] last = new float[rows * h];
        for (int r = 0; r < rows; r++) {
            int t = allLogits ? r : count - 1;
            VectorMath.rmsNorm(last, r * h, x, t * h, weights.outputNorm(), config.normWeightOffset(), h, config.normEps());
        }
        float[] logits = new float[rows * config.vocabSize()];
        weights.output().multiply(last, logits, rows);
        return logits;
    }

    private void normRows(float[] out, float[] x, float[] weight, int count) {
        int h = config.hiddenSize();
        for (int t = 0; t < count; t++) {
            VectorMath.rmsNorm(out, t * h, x, t * h, weight, config.normWeightOffset(), h, config.normEps());
        }
    }

    private static void addBias(float[] rows, float[] bias, int count) {
        if (bias == null) return;
        int n = bias.length;
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < n; i++) rows[t * n + i] += bias[i];
        }
    }

    /**
     * Causal attention of the {@code count} new queries over the cache, each query head reading
     * its group's key/value head; a sliding window limits how far back a query looks.
     */
    private void attend(float[] q, float[] keys, float[] values, float[] out, int start, int count) {
        int heads = config.heads(), headDim = config.headDim(), kvDim = config.kvDim(), qDim = config.queryDim();
        int group = config.groupSize(), window = config.slidingWindow();
        float scale = (float) (1.0 / Math.sqrt(headDim));
        Parallel.forRange(count * heads, Parallel.grain((long) (start + count) * headDim * 2), (from, to) -> {
            float[] scores = new float[start + count];
            for (int task = from; task < to; task++) {
                int t = task / heads, head = task % heads;
                int pos = start + t;
                int first = window > 0 ? Math.max(0, pos - window + 1) : 0;
                int qOff = t * qDim + head * headDim;
                int kvOff = (head / group) * headDim;
                for (int p = first; p <= pos; p++) {
                    scores[p - first] = VectorMath.dot(q, qOff, keys, p * kvDim + kvOff, headDim) * scale;
                }
                int n = pos - first + 1;
                VectorMath.softmax(scores, 0, n);
                java.util.Arrays.fill(out, qOff, qOff + headDim, 0f);
                for (int p = first; p <= pos; p++) {
                    VectorMath.axpy(scores[p - first], values, p * kvDim + kvOff, out, qOff, headDim);
                }
            }
        });
    }
}
