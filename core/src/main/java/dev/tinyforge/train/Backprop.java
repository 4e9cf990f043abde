package dev.tinyforge.train;

import dev.tinyforge.model.Activation;
import dev.tinyforge.model.LayerWeights;
import dev.tinyforge.model.LoraMatrix;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.Rope;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.tensor.VectorMath;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Loss and LoRA gradients of one sequence: the Llama-family forward pass of
 * {@link dev.tinyforge.model.Transformer}, keeping what the backward pass needs, then the backward
 * pass layer by layer (llm.c style: each layer's forward and backward side by side below).
 * Cross-entropy is fused with the output projection in chunks of rows, so batch × seq × vocab
 * logits never exist at once.
 */
public final class Backprop {
    private static final int LOSS_CHUNK = 32;

    private final ModelConfig c;
    private final Trainables trainables;
    private final Rope rope;

    public Backprop(ModelConfig config, Trainables trainables, int maxLength) {
        this.c = config;
        this.trainables = trainables;
        this.rope = new Rope(config, trainables.weights().ropeLayout(), trainables.weights().ropeFreqFactors(), maxLength);
    }

    /** The activations of one layer that its backward pass reads. Shapes in comments: T tokens. */
    private static final class LayerCache {
        float[] in;        // [T, H] residual stream entering the layer
        float[] rstd1;     // [T] 1/rms of `in`
        float[] norm1;     // [T, H]
        float[] q, k, v;   // [T, qDim], [T, kvDim] x2; q and k after RoPE
        float[] probs;     // [heads, T, T] attention weights (only p <= t used)
        float[] att;       // [T, qDim] attention output before o_proj
        float[] mid;       // [T, H] residual after attention
        float[] rstd2;     // [T]
        float[] norm2;     // [T, H]
        float[] gate, up;  // [T, F] before the activation
        float[] act;       // [T, F] act(gate) * up
        final Map<WeightMatrix, float[]> loraInput = new IdentityHashMap<>(); // x Aᵀ per adapted matrix
    }

    /**
     * Runs one sequence and adds the gradients of {@code gradScale × (summed target NLL)} to the
     * adapter's gradient buffers.
     *
     * @param target target[t] says whether token t is predicted and scored (token 0 never is)
     * @return the summed negative log-likelihood of the target tokens, and their count
     */
    public LossSum run(int[] ids, int length, boolean[] target, float gradScale) {
        int T = length, H = c.hiddenSize();
        var weights = trainables.weights();
        LayerCache[] caches = new LayerCache[c.layers()];
        float[] x = new float[T * H];
        for (int t = 0; t < T; t++) weights.embedding().row(ids[t], x, t * H);
        if (c.scaleEmbeddings()) {
            float s = (float) Math.sqrt(H);
            for (int i = 0; i < x.length; i++) x[i] *= s;
        }
        for (int l = 0; l < c.layers(); l++) {
            caches[l] = new LayerCache();
            x = layerForward(weights.layers().get(l), caches[l], x, T);
        }
        float[] rstdF = new float[T];
        float[] normF = new float[T * H];
        rmsNorm(x, weights.outputNorm(), normF, rstdF, T);

        // Fused output projection + cross-entropy, over the target rows only, in chunks.
        float[] dNormF = new float[T * H];
        double nll = 0;
        int count = 0;
        int[] rows = new int[T];
        int n = 0;
        for (int t = 0; t + 1 < T; t++) if (target[t + 1]) rows[n++] = t;
        int vocab = c.vocabSize();
        WeightMatrix output = weights.output();
        for (int from = 0; from < n; from += LOSS_CHUNK) {
            int m = Math.min(LOSS_CHUNK, n - from);
            float[] xs = new float[m * H];
            for (int i = 0; i < m; i++) System.arraycopy(normF, rows[from + i] * H, xs, i * H, H);
            float[] logits = new float[m * vocab];
            output.multiply(xs, logits, m);
            for (int i = 0; i < m; i++) {
                int next = ids[rows[from + i] + 1];
                int off = i * vocab;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < vocab; j++) max = Math.max(max, logits[off + j]);
                float nextLogit = logits[off + next];
                double sum = 0;
                for (int j = 0; j < vocab; j++) {
                    float e = (float) StrictMath.exp(logits[off + j] - max);
                    logits[off + j] = e;
                    sum += e;
                }
                nll -= nextLogit - max - StrictMath.log(sum);
                count++;
                // d(NLL)/d(logit_j) = softmax_j - [j = next]
                float scale = (float) (gradScale / sum);
                for (int j = 0; j < vocab; j++) logits[off + j] *= scale;
                logits[off + next] -= gradScale;
            }
            float[] dxs = new float[m * H];
            output.multiplyTransposed(logits, dxs, m);
            float[] outputGrad = trainables.gradientOf(output);
            if (outputGrad != null) VectorMath.addOuter(outputGrad, vocab, H, logits, xs, m, 1f);
            for (int i = 0; i < m; i++) System.arraycopy(dxs, i * H, dNormF, rows[from + i] * H, H);
        }

        float[] dx = new float[T * H];
        rmsNormBackward(x, weights.outputNorm(), rstdF, dNormF, dx, T);
        for (int l = c.layers() - 1; l >= 0; l--) {
            dx = layerBackward(weights.layers().get(l), caches[l], dx, T);
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
        float[] logits = transformer.forward(ids, 0, length, transformer.newCache(), true);
        int vocab = c.vocabSize();
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

    private float[] layerForward(LayerWeights w, LayerCache k, float[] x, int T) {
        int H = c.hiddenSize(), qDim = c.queryDim(), kvDim = c.kvDim(), F = c.intermediateSize();
        k.in = x;
        k.rstd1 = new float[T];
        k.norm1 = new float[T * H];
        rmsNorm(x, w.attentionNorm(), k.norm1, k.rstd1, T);
        k.q = linear(w.query(), k.norm1, T, k);
        k.k = linear(w.key(), k.norm1, T, k);
        k.v = linear(w.value(), k.norm1, T, k);
        addBias(k.q, w.queryBias(), T);
        addBias(k.k, w.keyBias(), T);
        addBias(k.v, w.valueBias(), T);
        for (int t = 0; t < T; t++) {
            rope.apply(k.q, t * qDim, c.heads(), t);
            rope.apply(k.k, t * kvDim, c.kvHeads(), t);
        }
        k.probs = new float[c.heads() * T * T];
        k.att = new float[T * qDim];
        attentionForward(k, T);
        float[] o = linear(w.output(), k.att, T, k);
        k.mid = new float[T * H];
        for (int i = 0; i < k.mid.length; i++) k.mid[i] = x[i] + o[i];
        k.rstd2 = new float[T];
        k.norm2 = new float[T * H];
        rmsNorm(k.mid, w.ffnNorm(), k.norm2, k.rstd2, T);
        k.gate = linear(w.gate(), k.norm2, T, k);
        k.up = linear(w.up(), k.norm2, T, k);
        k.act = new float[T * F];
        for (int i = 0; i < k.act.length; i++) k.act[i] = activation(k.gate[i]) * k.up[i];
        float[] down = linear(w.down(), k.act, T, k);
        float[] out = new float[T * H];
        for (int i = 0; i < out.length; i++) out[i] = k.mid[i] + down[i];
        return out;
    }

    private float[] layerBackward(LayerWeights w, LayerCache k, float[] dOut, int T) {
        int H = c.hiddenSize(), qDim = c.queryDim(), kvDim = c.kvDim(), F = c.intermediateSize();
        // out = mid + down(act)
        float[] dAct = linearBackward(w.down(), k.act, dOut, T, k);
        float[] dGate = new float[T * F], dUp = new float[T * F];
        for (int i = 0; i < dAct.length; i++) {
            dUp[i] = dAct[i] * activation(k.gate[i]);
            dGate[i] = dAct[i] * k.up[i] * activationDerivative(k.gate[i]);
        }
        float[] dNorm2 = linearBackward(w.gate(), k.norm2, dGate, T, k);
        add(dNorm2, linearBackward(w.up(), k.norm2, dUp, T, k));
        float[] dMid = dOut.clone();
        rmsNormBackward(k.mid, w.ffnNorm(), k.rstd2, dNorm2, dMid, T);
        // mid = in + o_proj(att)
        float[] dAtt = linearBackward(w.output(), k.att, dMid, T, k);
        float[] dq = new float[T * qDim], dk = new float[T * kvDim], dv = new float[T * kvDim];
        attentionBackward(k, dAtt, dq, dk, dv, T);
        for (int t = 0; t < T; t++) {
            rope.applyInverse(dq, t * qDim, c.heads(), t);
            rope.applyInverse(dk, t * kvDim, c.kvHeads(), t);
        }
        addBiasGradient(w.queryBias(), dq, T);
        addBiasGradient(w.keyBias(), dk, T);
        addBiasGradient(w.valueBias(), dv, T);
        float[] dNorm1 = linearBackward(w.query(), k.norm1, dq, T, k);
        add(dNorm1, linearBackward(w.key(), k.norm1, dk, T, k));
        add(dNorm1, linearBackward(w.value(), k.norm1, dv, T, k));
        float[] dIn = dMid.clone();
        rmsNormBackward(k.in, w.attentionNorm(), k.rstd1, dNorm1, dIn, T);
        return dIn;
    }

    // ---- linear layers, with LoRA where the adapter has a slot ------------------------------

    private float[] linear(WeightMatrix w, float[] x, int T, LayerCache k) {
        float[] y = new float[T * w.rows()];
        if (w instanceof LoraMatrix lora && trainables.slotOf(w) != null) {
            lora.base().multiply(x, y, T);
            float[] xa = new float[T * lora.rank()];
            lora.a().multiply(x, xa, T);
            lora.addLowRank(xa, y, T);
            k.loraInput.put(w, xa);
        } else {
            w.multiply(x, y, T);
        }
        return y;
    }

    /**
     * Given dy for y = x Wᵀ + s (x Aᵀ) Bᵀ, accumulates dA and dB and returns dx:
     * dB += s dyᵀ(xA), d(xA) = s dy B, dA += d(xA)ᵀ x, dx = dy W + d(xA) A.
     */
    private float[] linearBackward(WeightMatrix w, float[] x, float[] dy, int T, LayerCache k) {
        LoraAdapter.Slot slot = trainables.slotOf(w);
        WeightMatrix base = slot != null ? slot.matrix().base() : w;
        float[] dx = new float[T * w.cols()];
        base.multiplyTransposed(dy, dx, T);
        float[] full = slot == null ? trainables.gradientOf(w) : null;
        if (full != null) VectorMath.addOuter(full, w.rows(), w.cols(), dy, x, T, 1f);
        if (slot != null) {
            LoraMatrix lora = slot.matrix();
            int r = lora.rank();
            float[] xa = k.loraInput.get(w);
            VectorMath.addOuter(slot.gradB(), w.rows(), r, dy, xa, T, lora.scale());
            float[] dxa = new float[T * r];
            lora.b().multiplyTransposed(dy, dxa, T);
            for (int i = 0; i < dxa.length; i++) dxa[i] *= lora.scale();
            VectorMath.addOuter(slot.gradA(), r, w.cols(), dxa, x, T, 1f);
            float[] viaA = new float[T * w.cols()];
            lora.a().multiplyTransposed(dxa, viaA, T);
            add(dx, viaA);
        }
        return dx;
    }

    // ---- attention ---------------------------------------------------------------------------

    /** Causal softmax attention; probabilities are kept for the backward pass. */
    private void attentionForward(LayerCache k, int T) {
        int heads = c.heads(), hd = c.headDim(), qDim = c.queryDim(), kvDim = c.kvDim(), group = c.groupSize();
        int window = c.slidingWindow();
        float scale = (float) (1.0 / Math.sqrt(hd));
        Parallel.forRange(heads * T, Parallel.grain((long) T * hd), (from, to) -> {
            for (int task = from; task < to; task++) {
                int h = task / T, t = task % T;
                int first = window > 0 ? Math.max(0, t - window + 1) : 0;
                int qOff = t * qDim + h * hd, kvOff = (h / group) * hd, pOff = (h * T + t) * T;
                for (int p = first; p <= t; p++) {
                    k.probs[pOff + p] = VectorMath.dot(k.q, qOff, k.k, p * kvDim + kvOff, hd) * scale;
                }
                VectorMath.softmax(k.probs, pOff + first, t - first + 1);
                for (int p = first; p <= t; p++) {
                    VectorMath.axpy(k.probs[pOff + p], k.v, p * kvDim + kvOff, k.att, qOff, hd);
                }
            }
        });
    }

    /**
     * Backward of attention, parallel over key/value heads so each task owns the dK and dV rows
     * its query heads write: dP = dout·V, dV += P dout, dS = P (dP - Σ P dP), dq = s dS K, dK += s dS q.
     */
    private void attentionBackward(LayerCache k, float[] dAtt, float[] dq, float[] dk, float[] dv, int T) {
        int hd = c.headDim(), qDim = c.queryDim(), kvDim = c.kvDim(), group = c.groupSize();
        int window = c.slidingWindow();
        float scale = (float) (1.0 / Math.sqrt(hd));
        Parallel.forRange(c.kvHeads(), 1, (from, to) -> {
            float[] dP = new float[T];
            for (int kvh = from; kvh < to; kvh++) {
                int kvOff = kvh * hd;
                for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                    for (int t = 0; t < T; t++) {
                        int first = window > 0 ? Math.max(0, t - window + 1) : 0;
                        int qOff = t * qDim + h * hd, pOff = (h * T + t) * T;
                        double weighted = 0;
                        for (int p = first; p <= t; p++) {
                            dP[p] = VectorMath.dot(dAtt, qOff, k.v, p * kvDim + kvOff, hd);
                            weighted += (double) k.probs[pOff + p] * dP[p];
                            VectorMath.axpy(k.probs[pOff + p], dAtt, qOff, dv, p * kvDim + kvOff, hd);
                        }
                        for (int p = first; p <= t; p++) {
                            float dS = (float) (k.probs[pOff + p] * (dP[p] - weighted)) * scale;
                            VectorMath.axpy(dS, k.k, p * kvDim + kvOff, dq, qOff, hd);
                            VectorMath.axpy(dS, k.q, qOff, dk, p * kvDim + kvOff, hd);
                        }
                    }
                }
            }
        });
    }

    // ---- elementwise pieces ------------------------------------------------------------------

    /** y = x · rstd · (w + offset), keeping rstd per row. */
    private void rmsNorm(float[] x, float[] w, float[] y, float[] rstd, int T) {
        int H = c.hiddenSize();
        float offset = c.normWeightOffset();
        for (int t = 0; t < T; t++) {
            double ss = 0;
            for (int i = 0; i < H; i++) ss += (double) x[t * H + i] * x[t * H + i];
            float r = (float) (1.0 / Math.sqrt(ss / H + c.normEps()));
            rstd[t] = r;
            for (int i = 0; i < H; i++) y[t * H + i] = x[t * H + i] * r * (w[i] + offset);
        }
    }

    /**
     * dx += rstd·g − x·rstd³·(Σ g·x)/H with g = dy·(w + offset); and, when w is trained,
     * dw += dy·x·rstd.
     */
    private void rmsNormBackward(float[] x, float[] w, float[] rstd, float[] dy, float[] dx, int T) {
        int H = c.hiddenSize();
        float offset = c.normWeightOffset();
        float[] dw = trainables.gradientOf(w);
        for (int t = 0; t < T; t++) {
            if (dw != null) {
                for (int i = 0; i < H; i++) dw[i] += dy[t * H + i] * x[t * H + i] * rstd[t];
            }
            double dot = 0;
            for (int i = 0; i < H; i++) dot += (double) dy[t * H + i] * (w[i] + offset) * x[t * H + i];
            double r = rstd[t];
            double coefficient = r * r * r * dot / H;
            for (int i = 0; i < H; i++) {
                dx[t * H + i] += (float) (r * dy[t * H + i] * (w[i] + offset) - x[t * H + i] * coefficient);
            }
        }
    }

    private float activation(float g) {
        if (c.activation() == Activation.SILU) return g / (1f + (float) StrictMath.exp(-g));
        double cst = Math.sqrt(2 / Math.PI);
        return (float) (0.5 * g * (1 + StrictMath.tanh(cst * (g + 0.044715 * g * g * g))));
    }

    private float activationDerivative(float g) {
        if (c.activation() == Activation.SILU) {
            double s = 1 / (1 + StrictMath.exp(-g));
            return (float) (s * (1 + g * (1 - s)));
        }
        double cst = Math.sqrt(2 / Math.PI);
        double inner = cst * (g + 0.044715 * g * g * g);
        double tanh = StrictMath.tanh(inner);
        return (float) (0.5 * (1 + tanh) + 0.5 * g * (1 - tanh * tanh) * cst * (1 + 3 * 0.044715 * g * g));
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

    private static void add(float[] into, float[] other) {
        for (int i = 0; i < into.length; i++) into[i] += other[i];
    }
}
