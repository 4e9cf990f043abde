package dev.tinyforge.model;

import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.tensor.RowProduct;
import dev.tinyforge.tensor.VectorMath;
import java.util.List;

/**
 * The forward pass of the Llama family (Llama, Mistral, Qwen2, Gemma): embeddings, then per layer
 * RMSNorm → q/k/v (+bias) → RoPE → causal GQA attention over the cache → output projection →
 * residual → RMSNorm → gated MLP → residual; then the final norm and the vocabulary projection.
 * A call processes consecutive tokens of one sequence (a prompt, or one new token), or a step over
 * several sequences at once (continuous batching).
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

    /** Tokens a sequence may hold: the context this transformer was built for. */
    public int maxContext() {
        return rope.maxPositions();
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
        return forward(List.of(new SequenceChunk(tokens, offset, count, cache, allLogits)))[0];
    }

    /**
     * One step over several sequences, each with its own cache: the rows of all chunks go through every
     * matrix product together (each weight is read once per step, not once per sequence), while RoPE
     * and attention work per row at that row's own position over its own sequence's cache. Decode
     * tokens of many sequences and a prompt chunk of another can share a step (continuous batching
     * with chunked prefill). A row's result does not depend on the other rows except through the
     * matrix kernels' choice of code path by batch size (see {@code TransformerBatchTest}).
     *
     * @param chunks at most one per cache; nothing is changed when one of them does not fit
     * @return per chunk, its logits as {@link #forward(int[], int, int, KvCache, boolean)} returns them
     */
    public float[][] forward(List<SequenceChunk> chunks) {
        if (chunks.isEmpty()) throw new IllegalArgumentException("nothing to run");
        Rows rows = layOut(chunks);
        int n = rows.count();
        int h = config.hiddenSize(), qDim = config.queryDim(), kvDim = config.kvDim(), ffn = config.intermediateSize();
        float[] x = new float[n * h];
        for (int r = 0; r < n; r++) {
            weights.embedding().row(rows.token[r], x, r * h);
            if (embeddingScale != 1f) {
                for (int i = r * h; i < (r + 1) * h; i++) x[i] *= embeddingScale;
            }
        }
        float[] norm = new float[n * h];
        float[] q = new float[n * qDim], k = new float[n * kvDim], v = new float[n * kvDim];
        float[] attention = new float[n * qDim];
        float[] projected = new float[n * h];
        float[] gate = new float[n * ffn], up = new float[n * ffn];
        for (int l = 0; l < config.layers(); l++) {
            LayerWeights w = weights.layers().get(l);
            normRows(norm, x, w.attentionNorm(), n);
            RowProduct.runAll(w.query().product(norm, q, n), w.key().product(norm, k, n), w.value().product(norm, v, n));
            addBias(q, w.queryBias(), n);
            addBias(k, w.keyBias(), n);
            addBias(v, w.valueBias(), n);
            for (int r = 0; r < n; r++) {
                int pos = rows.position[r];
                rope.apply(q, r * qDim, config.heads(), pos);
                rope.apply(k, r * kvDim, config.kvHeads(), pos);
                System.arraycopy(k, r * kvDim, rows.cache[r].keys[l], pos * kvDim, kvDim);
                System.arraycopy(v, r * kvDim, rows.cache[r].values[l], pos * kvDim, kvDim);
            }
            attend(q, l, rows, attention);
            w.output().multiply(attention, projected, n);
            for (int i = 0; i < x.length; i++) x[i] += projected[i];

            normRows(norm, x, w.ffnNorm(), n);
            RowProduct.runAll(w.gate().product(norm, gate, n), w.up().product(norm, up, n));
            if (config.activation() == Activation.SILU) {
                VectorMath.swiglu(gate, up, 0, gate.length);
            } else {
                VectorMath.geglu(gate, up, 0, gate.length);
            }
            w.down().multiply(gate, projected, n);
            for (int i = 0; i < x.length; i++) x[i] += projected[i];
        }
        for (SequenceChunk c : chunks) c.cache().advance(c.count());
        return logits(chunks, x);
    }

    /** Each row of a step: its token, the cache it belongs to and its position there. */
    private record Rows(int[] token, KvCache[] cache, int[] position, int longest) {
        int count() {
            return token.length;
        }
    }

    private Rows layOut(List<SequenceChunk> chunks) {
        int n = 0;
        java.util.Set<KvCache> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (SequenceChunk c : chunks) {
            if (!seen.add(c.cache())) throw new IllegalArgumentException("two chunks of one step share a cache");
            int end = c.cache().length() + c.count();
            if (end > c.cache().capacity()) {
                throw new IllegalArgumentException("context full: " + end + " tokens exceed " + c.cache().capacity());
            }
            n = Math.addExact(n, c.count());
        }
        int[] token = new int[n], position = new int[n];
        KvCache[] cache = new KvCache[n];
        int r = 0, longest = 0;
        for (SequenceChunk c : chunks) {
            int start = c.cache().length();
            for (int t = 0; t < c.count(); t++, r++) {
                int id = c.tokens()[c.offset() + t];
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + config.vocabSize());
                }
                token[r] = id;
                cache[r] = c.cache();
                position[r] = start + t;
            }
            longest = Math.max(longest, start + c.count());
        }
        return new Rows(token, cache, position, longest);
    }

    /** The final norm and the vocabulary projection of the rows whose logits the chunks asked for, in one product. */
    private float[][] logits(List<SequenceChunk> chunks, float[] x) {
        int h = config.hiddenSize(), vocab = config.vocabSize();
        int wanted = 0;
        for (SequenceChunk c : chunks) wanted += c.logitRows();
        float[] last = new float[wanted * h];
        int out = 0, row = 0;
        for (SequenceChunk c : chunks) {
            int first = c.allLogits() ? row : row + c.count() - 1;
            for (int t = first; t < row + c.count(); t++, out++) {
                VectorMath.rmsNorm(last, out * h, x, t * h, weights.outputNorm(), config.normWeightOffset(), h, config.normEps());
            }
            row += c.count();
        }
        float[] logits = new float[wanted * vocab];
        weights.output().multiply(last, logits, wanted);
        if (chunks.size() == 1) return new float[][] {logits};
        float[][] split = new float[chunks.size()][];
        int from = 0;
        for (int i = 0; i < chunks.size(); i++) {
            int size = chunks.get(i).logitRows() * vocab;
            split[i] = java.util.Arrays.copyOfRange(logits, from, from + size);
            from += size;
        }
        return split;
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
     * Causal attention of each row's query over its own sequence's cache up to the row's position,
     * each query head reading its group's key/value head; a sliding window limits how far back a
     * query looks. Rows of one chunk see each other's keys because all were written before.
     */
    private void attend(float[] q, int layer, Rows rows, float[] out) {
        int heads = config.heads(), headDim = config.headDim(), kvDim = config.kvDim(), qDim = config.queryDim();
        int group = config.groupSize(), window = config.slidingWindow();
        float scale = (float) (1.0 / Math.sqrt(headDim));
        Parallel.forRange(rows.count() * heads, Parallel.grain((long) rows.longest() * headDim * 2), (from, to) -> {
            float[] scores = new float[rows.longest()];
            for (int task = from; task < to; task++) {
                int r = task / heads, head = task % heads;
                float[] keys = rows.cache[r].keys[layer], values = rows.cache[r].values[layer];
                int pos = rows.position[r];
                int first = window > 0 ? Math.max(0, pos - window + 1) : 0;
                int qOff = r * qDim + head * headDim;
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
