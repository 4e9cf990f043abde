package dev.tinyforge.train;

import static dev.tinyforge.tensor.VectorMath.F;

import dev.tinyforge.model.Activation;
import dev.tinyforge.model.LayerWeights;
import dev.tinyforge.model.LoraMatrix;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.Rope;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.tensor.VectorExp;
import dev.tinyforge.tensor.VectorMath;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.FloatVector;

/**
 * Loss and gradients of one sequence: the Llama-family forward pass of
 * {@link dev.tinyforge.model.Transformer}, keeping what the backward pass needs, then the backward
 * pass layer by layer (llm.c style: each layer's forward and backward side by side below).
 * Cross-entropy is fused with the output projection in chunks of rows, so seq × vocab logits never
 * exist at once.
 *
 * <p>Memory: every array is allocated once, for the longest sequence, and reused by every sequence
 * and step. A layer keeps its input, q, k, v, the attention output, the residual after attention,
 * gate and up, and each LoRA's x·Aᵀ; the normalised inputs, act(gate)·up and the attention weights
 * are recomputed in the backward pass (cheap elementwise work, and attention at the cost of one more
 * q·kᵀ), which keeps activations linear in the sequence length.
 */
public final class Backprop {
    /**
     * Rows of logits per cross-entropy chunk: 128 × a 49k vocabulary is 24 MiB (78 MiB for 152k), and the
     * output matrix is read once per chunk; with 64 rows it was read twice as often and a SmolLM2 step
     * took 7% longer.
     */
    private static final int LOSS_CHUNK = 128;

    private final ModelConfig c;
    private final Trainables trainables;
    private final Rope rope;
    private final int maxLength;
    private final CausalAttention attention;
    /** Per layer, the residual stream entering it ([T, H]); the last layer's output goes to finalX. */
    private final float[][] inputs;
    /** Per layer its activations, or (recomputing) one cache that each layer refills before its backward. */
    private final LayerCache[] caches;
    private final boolean recompute;
    /** Where a recomputed layer's output goes (it is already in the next layer's input). */
    private final float[] recomputedOut;
    // Work arrays, sized for maxLength rows; names say what they hold while in use.
    private final float[] finalX, finalNorm, rstdF, dNormF, logits, chunkX, chunkDx;
    private final float[] norm, projected, act, dOut, dMid, dNorm, dAtt, dq, dk, dv, dGate, dUp, wide, delta, viaA, dxa;
    /** Per token of the current row: its RoPE position and the first token of its sequence (packing). */
    private final int[] position, sequenceStart;
    /** PEFT's lora_dropout of the adapter, or null when it is 0 (the plain path, untouched). */
    private final LoraDropout dropout;
    /** The current row's dropout key (see {@link #run(int[], int, boolean[], int[], long, float)}). */
    private long dropoutKey;

    public Backprop(ModelConfig config, Trainables trainables, int maxLength) {
        this(config, trainables, maxLength, false);
    }

    /**
     * @param recompute activation checkpointing: keep only each layer's input and recompute the layer's
     *                  activations just before its backward pass (one more forward pass of compute, and
     *                  activation memory of one layer instead of all); gradients are bit-identical
     */
    public Backprop(ModelConfig config, Trainables trainables, int maxLength, boolean recompute) {
        this.c = config;
        this.recompute = recompute;
        this.trainables = trainables;
        this.maxLength = maxLength;
        this.rope = new Rope(config, trainables.weights().ropeLayout(), trainables.weights().ropeFreqFactors(), maxLength);
        this.position = new int[maxLength];
        this.sequenceStart = new int[maxLength];
        for (int t = 0; t < maxLength; t++) position[t] = t;
        this.attention = new CausalAttention(config, maxLength, sequenceStart);
        double p = trainables instanceof LoraAdapter adapter ? adapter.config().dropout() : 0;
        this.dropout = p > 0 ? new LoraDropout(p) : null;
        int T = maxLength, H = c.hiddenSize(), F = c.intermediateSize(), qDim = c.queryDim(), kvDim = c.kvDim();
        int widest = Math.max(Math.max(H, F), Math.max(qDim, kvDim));
        List<LayerWeights> layers = trainables.weights().layers();
        this.inputs = new float[c.layers()][];
        for (int l = 0; l < c.layers(); l++) inputs[l] = new float[T * H];
        if (recompute && c.layers() > 0) {
            this.caches = new LayerCache[] {new LayerCache(trainables, layers.get(0), layers, inputs[0], T)};
            this.recomputedOut = new float[T * H];
        } else {
            this.caches = new LayerCache[c.layers()];
            for (int l = 0; l < c.layers(); l++) caches[l] = new LayerCache(trainables, layers.get(l), List.of(layers.get(l)), inputs[l], T);
            this.recomputedOut = null;
        }
        finalX = new float[T * H];
        finalNorm = new float[T * H];
        rstdF = new float[T];
        dNormF = new float[T * H];
        int chunk = Math.min(LOSS_CHUNK + 1, T);
        logits = new float[chunk * c.vocabSize()];
        chunkX = new float[chunk * H];
        chunkDx = new float[chunk * H];
        norm = new float[T * H];
        projected = new float[T * H];
        act = new float[T * F];
        dOut = new float[T * H];
        dMid = new float[T * H];
        dNorm = new float[T * H];
        dAtt = new float[T * qDim];
        dq = new float[T * qDim];
        dk = new float[T * kvDim];
        dv = new float[T * kvDim];
        dGate = new float[T * F];
        dUp = new float[T * F];
        wide = new float[T * widest];
        delta = new float[T * widest];
        viaA = new float[T * widest];
        dxa = new float[T * maxRank(trainables)];
    }

    /** Floats a Backprop for {@code maxLength} tokens holds (activations and work arrays), for memory estimates. */
    static long floats(ModelConfig c, int maxLength, int loraRank, int loraTargetsPerLayer) {
        return floats(c, maxLength, loraRank, loraTargetsPerLayer, false);
    }

    /** As {@link #floats(ModelConfig, int, int, int)}, with activations recomputed or kept for every layer. */
    static long floats(ModelConfig c, int maxLength, int loraRank, int loraTargetsPerLayer, boolean recompute) {
        long T = maxLength, H = c.hiddenSize(), F = c.intermediateSize(), q = c.queryDim(), kv = c.kvDim();
        long widest = Math.max(Math.max(H, F), Math.max(q, kv));
        long activations = T * (H + 2 * q + 2 * kv + 2 * F + 2), lora = T * (long) loraRank * loraTargetsPerLayer;
        long layers = c.layers();
        // Every layer keeps its input and its LoRA inputs; its other activations, unless one shared cache
        // (and the recomputed layer's output) holds them for the layer being differentiated.
        long kept = layers * (T * H + lora) + (recompute ? (layers > 0 ? activations + T * H : 0) : layers * activations);
        long chunk = Math.min(LOSS_CHUNK + 1, T);
        long work = T * (5 * H + 1) + chunk * (c.vocabSize() + 2 * H) + T * (2 * H + F + 2 * q + 2 * kv + 2 * F + 3 * widest
                + loraRank);
        return kept + work + CausalAttention.floats(c, maxLength);
    }

    private static int maxRank(Trainables trainables) {
        int rank = 1;
        for (LayerWeights l : trainables.weights().layers()) {
            for (LoraTarget t : LoraTarget.values()) {
                if (t.of(l) instanceof LoraMatrix lora && trainables.slotOf(lora) != null) rank = Math.max(rank, lora.rank());
            }
        }
        return rank;
    }

    /** The activations of one layer that its backward pass reads. Shapes in comments: T tokens. */
    private static final class LayerCache {
        float[] in;               // [T, H] residual stream entering the layer (set per layer when the cache is shared)
        final float[] rstd1;      // [T] 1/rms of `in`
        final float[] q, k, v;    // [T, qDim], [T, kvDim] x2; q and k after RoPE
        final float[] att;        // [T, qDim] attention output before o_proj
        final float[] mid;        // [T, H] residual after attention
        final float[] rstd2;      // [T]
        final float[] gate, up;   // [T, F] before the activation
        final Map<WeightMatrix, float[]> loraInput = new IdentityHashMap<>(); // [T, r] x Aᵀ per adapted matrix

        /** A cache for the layers {@code served} (one, or all of them when activations are recomputed), shaped like {@code w}. */
        LayerCache(Trainables trainables, LayerWeights w, List<LayerWeights> served, float[] in, int T) {
            this.in = in;
            rstd1 = new float[T];
            q = new float[T * w.query().rows()];
            k = new float[T * w.key().rows()];
            v = new float[T * w.value().rows()];
            att = new float[T * w.output().cols()];
            mid = new float[T * w.attentionNorm().length];
            rstd2 = new float[T];
            gate = new float[T * w.gate().rows()];
            up = new float[T * w.up().rows()];
            for (LayerWeights layer : served) {
                for (LoraTarget t : LoraTarget.values()) {
                    WeightMatrix m = t.of(layer);
                    if (m instanceof LoraMatrix lora && trainables.slotOf(m) != null) loraInput.put(m, new float[T * lora.rank()]);
                }
            }
        }
    }

    /**
     * Runs one training row and adds the gradients of {@code gradScale × (summed target NLL)}.
     * The row holds one sequence, or several packed ones starting at {@code sequenceStarts} (0
     * first, increasing): a token attends only to the tokens of its own sequence, RoPE positions
     * restart at 0 with each, and no target may be a sequence's first token, so the loss and the
     * gradients are the sums of the sequences run one by one. {@code dropoutKey} picks the LoRA
     * dropout masks ({@link LoraDropout#rowKey}): the same key gives the same masks.
     */
    public LossSum run(int[] ids, int length, boolean[] target, int[] sequenceStarts, long dropoutKey, float gradScale) {
        if (length > maxLength) throw new IllegalArgumentException("sequence of " + length + " tokens, room for " + maxLength);
        if (sequenceStarts.length == 0 || sequenceStarts[0] != 0) throw new IllegalArgumentException("a row starts a sequence at 0");
        for (int i = 0; i < sequenceStarts.length; i++) {
            int from = sequenceStarts[i], to = i + 1 < sequenceStarts.length ? sequenceStarts[i + 1] : length;
            if (to <= from || to > length) throw new IllegalArgumentException("sequence starts must increase within the row");
            if (from > 0 && target[from]) throw new IllegalArgumentException("token " + from + " starts a sequence: not a target");
            for (int t = from; t < to; t++) {
                position[t] = t - from;
                sequenceStart[t] = from;
            }
        }
        this.dropoutKey = dropoutKey;
        try {
            return run(ids, length, target, gradScale);
        } finally {
            this.dropoutKey = 0;
            for (int t = 0; t < length; t++) {
                position[t] = t;
                sequenceStart[t] = 0;
            }
        }
    }

    /**
     * Runs one sequence (with dropout key 0) and adds the gradients of {@code gradScale × (summed target NLL)} to the
     * trainables' gradient buffers.
     *
     * @param target target[t] says whether token t is predicted and scored (token 0 never is)
     * @return the summed negative log-likelihood of the target tokens, and their count
     */
    public LossSum run(int[] ids, int length, boolean[] target, float gradScale) {
        if (length > maxLength) throw new IllegalArgumentException("sequence of " + length + " tokens, room for " + maxLength);
        int T = length, H = c.hiddenSize();
        var weights = trainables.weights();
        float[] x = c.layers() > 0 ? inputs[0] : finalX;
        for (int t = 0; t < T; t++) weights.embedding().row(ids[t], x, t * H);
        if (c.scaleEmbeddings()) {
            float s = (float) Math.sqrt(H);
            for (int i = 0; i < T * H; i++) x[i] *= s;
        }
        for (int l = 0; l < c.layers(); l++) {
            float[] out = l + 1 < c.layers() ? inputs[l + 1] : finalX;
            layerForward(weights.layers().get(l), cache(l), out, T);
        }
        rmsNorm(finalX, weights.outputNorm(), finalNorm, rstdF, T);

        // Fused output projection + cross-entropy, over the target rows only, in chunks.
        java.util.Arrays.fill(dNormF, 0, T * H, 0f);
        double nll = 0;
        int count = 0;
        int[] rows = new int[T];
        int n = 0;
        for (int t = 0; t + 1 < T; t++) if (target[t + 1]) rows[n++] = t;
        int vocab = c.vocabSize();
        WeightMatrix output = weights.output();
        float[] outputGrad = trainables.gradientOf(output);
        for (int from = 0; from < n; ) {
            // Never a chunk of one row: a quantized matrix multiplies a single row with its dot kernels,
            // whose lane sums are not fixed in order (runs would differ in the last bits).
            int m = n - from == LOSS_CHUNK + 1 ? LOSS_CHUNK + 1 : Math.min(LOSS_CHUNK, n - from);
            int used = m == 1 && T > 1 ? 2 : m; // a lone row is doubled and its copy ignored
            for (int i = 0; i < used; i++) System.arraycopy(finalNorm, rows[from + Math.min(i, m - 1)] * H, chunkX, i * H, H);
            output.multiply(chunkX, logits, used);
            double[] rowNll = new double[m];
            int chunkFrom = from;
            Parallel.forRange(m, 1, (a, b) -> {
                for (int i = a; i < b; i++) {
                    int next = ids[rows[chunkFrom + i] + 1];
                    int off = i * vocab;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < vocab; j++) max = Math.max(max, logits[off + j]);
                    float nextLogit = logits[off + next];
                    double sum = VectorExp.expShifted(logits, off, vocab, max);
                    rowNll[i] = -(nextLogit - max - StrictMath.log(sum));
                    // d(NLL)/d(logit_j) = softmax_j - [j = next]
                    VectorMath.scale(logits, off, vocab, (float) (gradScale / sum));
                    logits[off + next] -= gradScale;
                }
            });
            for (int i = 0; i < m; i++) nll += rowNll[i];
            count += m;
            if (used > m) java.util.Arrays.fill(logits, m * vocab, used * vocab, 0f);
            output.multiplyTransposed(logits, chunkDx, used);
            if (outputGrad != null) VectorMath.addOuter(outputGrad, vocab, H, logits, chunkX, m, 1f);
            for (int i = 0; i < m; i++) System.arraycopy(chunkDx, i * H, dNormF, rows[from + i] * H, H);
            from += m;
        }

        float[] dx = dOut;
        java.util.Arrays.fill(dx, 0, T * H, 0f);
        rmsNormBackward(finalX, weights.outputNorm(), rstdF, dNormF, dx, T);
        for (int l = c.layers() - 1; l >= 0; l--) {
            LayerCache k = cache(l);
            // The last layer's activations are still in the shared cache from the forward pass.
            if (recompute && l < c.layers() - 1) layerForward(weights.layers().get(l), k, recomputedOut, T);
            layerBackward(weights.layers().get(l), k, dx, T);
        }
        float[] embeddingGrad = trainables.gradientOf(weights.embedding());
        if (embeddingGrad != null) {
            float s = c.scaleEmbeddings() ? (float) Math.sqrt(H) : 1f;
            for (int t = 0; t < T; t++) VectorMath.axpy(s, dx, t * H, embeddingGrad, ids[t] * H, H);
        }
        return new LossSum(nll, count);
    }

    /**
     * The summed NLL of the target tokens, forward only (validation): the inference forward pass
     * over the adapted weights, scored at the target positions.
     */
    public LossSum loss(int[] ids, int length, boolean[] target) {
        var transformer = new dev.tinyforge.model.Transformer(c, trainables.weights(), Math.max(length, 1));
        return targetLoss(transformer, ids, length, target);
    }

    /**
     * The summed NLL of the target tokens of one sequence under {@code transformer}'s forward pass:
     * token t is scored from the logits at t - 1 where {@code target[t]} is set.
     */
    public static LossSum targetLoss(dev.tinyforge.model.Transformer transformer, int[] ids, int length, boolean[] target) {
        float[] logits = transformer.forward(ids, 0, length, transformer.newCache(), true);
        int vocab = transformer.config().vocabSize();
        double nll = 0;
        int count = 0;
        for (int t = 0; t + 1 < length; t++) {
            if (!target[t + 1]) continue;
            nll -= VectorMath.logSoftmaxAt(logits, t * vocab, vocab, ids[t + 1]);
            count++;
        }
        return new LossSum(nll, count);
    }

    /** A summed loss and how many tokens it covers. */
    public record LossSum(double nll, int tokens) {}

    // ---- one transformer block ------------------------------------------------------------

    /** Layer l's cache, its input in place. */
    private LayerCache cache(int l) {
        LayerCache k = caches[recompute ? 0 : l];
        k.in = inputs[l];
        return k;
    }

    /** Runs the block on k.in, keeping its activations in k, and writes its output to {@code out}. */
    private void layerForward(LayerWeights w, LayerCache k, float[] out, int T) {
        int H = c.hiddenSize(), qDim = c.queryDim(), kvDim = c.kvDim(), F = c.intermediateSize();
        rmsNorm(k.in, w.attentionNorm(), norm, k.rstd1, T);
        linear(w.query(), norm, k.q, T, k);
        linear(w.key(), norm, k.k, T, k);
        linear(w.value(), norm, k.v, T, k);
        addBias(k.q, w.queryBias(), T);
        addBias(k.k, w.keyBias(), T);
        addBias(k.v, w.valueBias(), T);
        Parallel.forRange(T, Parallel.grain(qDim + kvDim), (a, b) -> {
            for (int t = a; t < b; t++) {
                rope.apply(k.q, t * qDim, c.heads(), position[t]);
                rope.apply(k.k, t * kvDim, c.kvHeads(), position[t]);
            }
        });
        attention.forward(k.q, k.k, k.v, k.att, T);
        linear(w.output(), k.att, projected, T, k);
        add(k.in, projected, k.mid, T * H);
        rmsNorm(k.mid, w.ffnNorm(), norm, k.rstd2, T);
        linear(w.gate(), norm, k.gate, T, k);
        linear(w.up(), norm, k.up, T, k);
        gatedActivation(k.gate, k.up, act, T * F);
        linear(w.down(), act, projected, T, k);
        add(k.mid, projected, out, T * H);
    }

    /** Given dOut (the gradient of the block's output, in {@code dx}), replaces it with the gradient of k.in. */
    private void layerBackward(LayerWeights w, LayerCache k, float[] dx, int T) {
        int H = c.hiddenSize(), F = c.intermediateSize();
        // out = mid + down(act(gate) · up)
        gatedActivation(k.gate, k.up, act, T * F);
        linearBackward(w.down(), act, dx, T, k, wide);
        gatedActivationBackward(k.gate, k.up, wide, dGate, dUp, T * F);
        normalized(k.mid, w.ffnNorm(), k.rstd2, norm, T);
        linearBackward(w.gate(), norm, dGate, T, k, dNorm);
        linearBackward(w.up(), norm, dUp, T, k, wide);
        add(dNorm, wide, dNorm, T * H);
        System.arraycopy(dx, 0, dMid, 0, T * H);
        rmsNormBackward(k.mid, w.ffnNorm(), k.rstd2, dNorm, dMid, T);
        // mid = in + o_proj(att)
        linearBackward(w.output(), k.att, dMid, T, k, dAtt);
        attention.backward(k.q, k.k, k.v, dAtt, dq, dk, dv, T);
        int qDim = c.queryDim(), kvDim = c.kvDim();
        Parallel.forRange(T, Parallel.grain(qDim + kvDim), (a, b) -> {
            for (int t = a; t < b; t++) {
                rope.applyInverse(dq, t * qDim, c.heads(), position[t]);
                rope.applyInverse(dk, t * kvDim, c.kvHeads(), position[t]);
            }
        });
        addBiasGradient(w.queryBias(), dq, T);
        addBiasGradient(w.keyBias(), dk, T);
        addBiasGradient(w.valueBias(), dv, T);
        normalized(k.in, w.attentionNorm(), k.rstd1, norm, T);
        linearBackward(w.query(), norm, dq, T, k, dNorm);
        linearBackward(w.key(), norm, dk, T, k, wide);
        add(dNorm, wide, dNorm, T * H);
        linearBackward(w.value(), norm, dv, T, k, wide);
        add(dNorm, wide, dNorm, T * H);
        System.arraycopy(dMid, 0, dx, 0, T * H);
        rmsNormBackward(k.in, w.attentionNorm(), k.rstd1, dNorm, dx, T);
    }

    // ---- linear layers, with LoRA where the adapter has a slot ------------------------------

    /**
     * y = x Wᵀ, plus s (x' Aᵀ) Bᵀ where W has a LoRA slot (x' Aᵀ is kept in the cache); x' is x
     * after LoRA dropout when there is one, else x.
     */
    private void linear(WeightMatrix w, float[] x, float[] y, int T, LayerCache k) {
        if (w instanceof LoraMatrix lora && trainables.slotOf(w) != null) {
            lora.base().multiply(x, y, T);
            float[] xa = k.loraInput.get(w);
            float[] input = x;
            if (dropout != null) {
                // delta is free until B's product below, which no longer needs the dropped input
                dropout.apply(maskKey(trainables.slotOf(w)), x, delta, T * w.cols());
                input = delta;
            }
            lora.a().multiply(input, xa, T);
            lora.b().multiply(xa, delta, T);
            float scale = lora.scale();
            elementwise(T * w.rows(), (from, to) -> VectorMath.axpy(scale, delta, from, y, from, to - from));
        } else {
            w.multiply(x, y, T);
        }
    }

    /**
     * Given dy for y = x Wᵀ + s (x' Aᵀ) Bᵀ, accumulates dA and dB (or dW) and writes dx:
     * dB += s dyᵀ(x'A), d(x'A) = s dy B, dA += d(x'A)ᵀ x', dx = dy W + dropout(d(x'A) A) with the
     * forward pass's mask (x' = dropout(x), or x without dropout).
     */
    private void linearBackward(WeightMatrix w, float[] x, float[] dy, int T, LayerCache k, float[] dx) {
        LoraAdapter.Slot slot = trainables.slotOf(w);
        WeightMatrix base = slot != null ? slot.matrix().base() : w;
        base.multiplyTransposed(dy, dx, T);
        float[] full = slot == null ? trainables.gradientOf(w) : null;
        if (full != null) VectorMath.addOuter(full, w.rows(), w.cols(), dy, x, T, 1f);
        if (slot != null) {
            LoraMatrix lora = slot.matrix();
            int r = lora.rank();
            float[] xa = k.loraInput.get(w);
            VectorMath.addOuter(slot.gradB(), w.rows(), r, dy, xa, T, lora.scale());
            lora.b().multiplyTransposed(dy, dxa, T);
            VectorMath.scale(dxa, 0, T * r, lora.scale());
            float[] input = x;
            long key = dropout != null ? maskKey(slot) : 0;
            if (dropout != null) {
                dropout.apply(key, x, delta, T * w.cols()); // delta is unused by the backward pass
                input = delta;
            }
            VectorMath.addOuter(slot.gradA(), r, w.cols(), dxa, input, T, 1f);
            lora.a().multiplyTransposed(dxa, viaA, T);
            if (dropout != null) dropout.apply(key, viaA, viaA, T * w.cols());
            add(dx, viaA, dx, T * w.cols());
        }
    }

    private long maskKey(LoraAdapter.Slot slot) {
        return LoraDropout.matrixKey(dropoutKey, slot.layer(), slot.target());
    }

    // ---- elementwise pieces ------------------------------------------------------------------

    /** out = act(gate) · up. */
    private void gatedActivation(float[] gate, float[] up, float[] out, int n) {
        if (c.activation() != Activation.SILU) {
            for (int i = 0; i < n; i++) out[i] = gelu(gate[i]) * up[i];
            return;
        }
        elementwise(n, (from, to) -> {
            int i = from;
            for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
                FloatVector g = FloatVector.fromArray(F, gate, i);
                g.mul(oneOver(VectorExp.exp(g.neg()).add(1f))).mul(FloatVector.fromArray(F, up, i)).intoArray(out, i);
            }
            for (; i < to; i++) out[i] = gate[i] / (1f + VectorExp.exp(-gate[i])) * up[i];
        });
    }

    private static FloatVector oneOver(FloatVector v) {
        return FloatVector.broadcast(F, 1f).div(v);
    }

    /** Given dAct for act(gate) · up: dUp = dAct · act(gate), dGate = dAct · up · act'(gate). */
    private void gatedActivationBackward(float[] gate, float[] up, float[] dAct, float[] dGate, float[] dUp, int n) {
        if (c.activation() != Activation.SILU) {
            for (int i = 0; i < n; i++) {
                dUp[i] = dAct[i] * gelu(gate[i]);
                dGate[i] = dAct[i] * up[i] * geluDerivative(gate[i]);
            }
            return;
        }
        // silu(g) = g·s with s = 1/(1 + e^-g); silu'(g) = s·(1 + g·(1 − s))
        elementwise(n, (from, to) -> {
            int i = from;
            for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
                FloatVector g = FloatVector.fromArray(F, gate, i), d = FloatVector.fromArray(F, dAct, i);
                FloatVector s = oneOver(VectorExp.exp(g.neg()).add(1f));
                d.mul(g.mul(s)).intoArray(dUp, i);
                FloatVector derivative = s.mul(g.mul(s.neg().add(1f)).add(1f));
                d.mul(FloatVector.fromArray(F, up, i)).mul(derivative).intoArray(dGate, i);
            }
            for (; i < to; i++) {
                float g = gate[i], s = 1f / (1f + VectorExp.exp(-g));
                dUp[i] = dAct[i] * (g * s);
                dGate[i] = dAct[i] * up[i] * (s * (g * (1f - s) + 1f));
            }
        });
    }

    /** Runs a loop over [0, n) in parallel pieces whose bounds are multiples of the vector length. */
    private static void elementwise(int n, Parallel.RangeTask task) {
        int step = F.length() * 64;
        int pieces = (n + step - 1) / step;
        Parallel.forRange(pieces, Parallel.grain(step), (a, b) -> task.run(a * step, Math.min(n, b * step)));
    }

    private static float gelu(float g) {
        double cst = Math.sqrt(2 / Math.PI);
        return (float) (0.5 * g * (1 + StrictMath.tanh(cst * (g + 0.044715 * g * g * g))));
    }

    private static float geluDerivative(float g) {
        double cst = Math.sqrt(2 / Math.PI);
        double inner = cst * (g + 0.044715 * g * g * g);
        double tanh = StrictMath.tanh(inner);
        return (float) (0.5 * (1 + tanh) + 0.5 * g * (1 - tanh * tanh) * cst * (1 + 3 * 0.044715 * g * g));
    }

    /** y = x · rstd · (w + offset), keeping rstd per row. */
    private void rmsNorm(float[] x, float[] w, float[] y, float[] rstd, int T) {
        int H = c.hiddenSize();
        Parallel.forRange(T, Parallel.grain(2L * H), (a, b) -> {
            for (int t = a; t < b; t++) {
                double ss = 0;
                for (int i = 0; i < H; i++) ss += (double) x[t * H + i] * x[t * H + i];
                rstd[t] = (float) (1.0 / Math.sqrt(ss / H + c.normEps()));
            }
        });
        normalized(x, w, rstd, y, T);
    }

    /** y = x · rstd · (w + offset) with rstd known (the forward's normalised rows, recomputed). */
    private void normalized(float[] x, float[] w, float[] rstd, float[] y, int T) {
        int H = c.hiddenSize();
        float offset = c.normWeightOffset();
        Parallel.forRange(T, Parallel.grain(H), (a, b) -> {
            for (int t = a; t < b; t++) {
                float r = rstd[t];
                for (int i = 0; i < H; i++) y[t * H + i] = x[t * H + i] * r * (w[i] + offset);
            }
        });
    }

    /**
     * dx += rstd·g − x·rstd³·(Σ g·x)/H with g = dy·(w + offset); and, when w is trained,
     * dw += dy·x·rstd (summed over t in order, per column).
     */
    private void rmsNormBackward(float[] x, float[] w, float[] rstd, float[] dy, float[] dx, int T) {
        int H = c.hiddenSize();
        float offset = c.normWeightOffset();
        float[] dw = trainables.gradientOf(w);
        if (dw != null) {
            Parallel.forRange(H, Parallel.grain(T), (a, b) -> {
                for (int i = a; i < b; i++) {
                    float sum = dw[i];
                    for (int t = 0; t < T; t++) sum += dy[t * H + i] * x[t * H + i] * rstd[t];
                    dw[i] = sum;
                }
            });
        }
        Parallel.forRange(T, Parallel.grain(3L * H), (a, b) -> {
            for (int t = a; t < b; t++) {
                double dot = 0;
                for (int i = 0; i < H; i++) dot += (double) dy[t * H + i] * (w[i] + offset) * x[t * H + i];
                double r = rstd[t];
                double coefficient = r * r * r * dot / H;
                for (int i = 0; i < H; i++) {
                    dx[t * H + i] += (float) (r * dy[t * H + i] * (w[i] + offset) - x[t * H + i] * coefficient);
                }
            }
        });
    }

    private void addBiasGradient(float[] bias, float[] dRows, int T) {
        float[] grad = bias == null ? null : trainables.gradientOf(bias);
        if (grad == null) return;
        for (int t = 0; t < T; t++) VectorMath.axpy(1f, dRows, t * bias.length, grad, 0, bias.length);
    }

    private static void addBias(float[] rows, float[] bias, int T) {
        if (bias == null) return;
        int n = bias.length;
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < n; i++) rows[t * n + i] += bias[i];
        }
    }

    /** out[i] = a[i] + b[i] for i < n (out may be a or b). */
    private static void add(float[] a, float[] b, float[] out, int n) {
        elementwise(n, (from, to) -> {
            int i = from;
            for (int bound = from + F.loopBound(to - from); i < bound; i += F.length()) {
                FloatVector.fromArray(F, a, i).add(FloatVector.fromArray(F, b, i)).intoArray(out, i);
            }
            for (; i < to; i++) out[i] = a[i] + b[i];
        });
    }
}
