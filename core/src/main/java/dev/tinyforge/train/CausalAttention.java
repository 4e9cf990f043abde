package dev.tinyforge.train;

import static dev.tinyforge.tensor.VectorMath.F;

import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.tensor.TileMultiply;
import dev.tinyforge.tensor.VectorExp;
import jdk.incubator.vector.FloatVector;

/**
 * Causal softmax attention with grouped KV heads, forward and backward, for training. Probabilities
 * are not stored: the backward pass recomputes them from q and k with the same code, so they have
 * the same bits, and memory stays linear in the sequence length (a [heads, T, T] tensor per layer
 * was the largest activation). Rows of 4 queries at a time go through the register-tiled
 * {@link TileMultiply#addTransposed} with keys and values transposed, so no dot product needs a
 * horizontal sum.
 *
 * <p>Shapes: q, dq [T, heads·hd]; k, v, dk, dv [T, kvHeads·hd]; P, dP, dS rows [4, Tpad].
 */
final class CausalAttention {
    private static final int ROWS = 4;
    /** Query rows per parallel task: 9 heads × 256 tokens give 36 tasks, enough to balance two threads. */
    private static final int TASK_ROWS = 64;

    private final ModelConfig c;
    private final int maxLength, padded;
    /** Keys and values transposed per KV head: [kvHeads, hd, padded], zero beyond T. */
    private final float[] keysT, valuesT;
    /** Per query head, its share of dK and dV before the group's heads are summed: [heads, T, hd]. */
    private final float[] headDk, headDv;
    /** Per token, the first token of its sequence: keys before it are masked (packed rows; all 0 otherwise). */
    private final int[] sequenceStart;

    /** @param sequenceStart read at each call: per token, the first token of the sequence it belongs to */
    CausalAttention(ModelConfig c, int maxLength, int[] sequenceStart) {
        this.c = c;
        this.sequenceStart = sequenceStart;
        this.maxLength = maxLength;
        this.padded = roundUp(maxLength, 2 * F.length());
        this.keysT = new float[c.kvDim() * padded];
        this.valuesT = new float[c.kvDim() * padded];
        this.headDk = new float[c.heads() * maxLength * c.headDim()];
        this.headDv = new float[c.heads() * maxLength * c.headDim()];
    }

    /** Floats this object holds, for memory estimates. */
    static long floats(ModelConfig c, int maxLength) {
        long padded = roundUp(maxLength, 2 * F.length());
        return 2L * c.kvDim() * padded + 2L * c.heads() * maxLength * c.headDim();
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /** att = softmax(q kᵀ / √hd, causal, within each packed sequence) v. */
    void forward(float[] q, float[] k, float[] v, float[] att, int T) {
        transpose(k, keysT, T);
        int blocks = (T + TASK_ROWS - 1) / TASK_ROWS;
        Parallel.forRange(c.heads() * blocks, 1, (from, to) -> {
            float[] p = new float[ROWS * padded];
            for (int task = from; task < to; task++) {
                int h = task / blocks, t1 = Math.min(T, (task % blocks + 1) * TASK_ROWS);
                for (int t0 = (task % blocks) * TASK_ROWS; t0 < t1; t0 += ROWS) {
                    int rows = Math.min(ROWS, T - t0), lo = firstKey(t0, rows);
                    probabilities(q, h, t0, rows, p, T);
                    int kvOff = (h / c.groupSize()) * c.headDim();
                    TileMultiply.addTransposed(v, kvOff + lo * c.kvDim(), c.kvDim(), Math.min(t0 + ROWS, T) - lo, c.headDim(), p,
                            padded, lo, att, c.queryDim(), t0 * c.queryDim() + h * c.headDim(), rows, true);
                }
            }
        });
    }

    /**
     * Given dAtt, writes dq, dk and dv: dP = dAtt vᵀ, dS = P ∘ (dP − Σ P∘dP) / √hd, dq = dS k,
     * dk = dSᵀ q, dv = Pᵀ dAtt. Each query head sums its dK and dV share in token order; the shares of
     * a group are then added in head order, so results do not depend on the thread count.
     */
    void backward(float[] q, float[] k, float[] v, float[] dAtt, float[] dq, float[] dk, float[] dv, int T) {
        transpose(k, keysT, T);
        transpose(v, valuesT, T);
        int hd = c.headDim();
        int blocks = (T + TASK_ROWS - 1) / TASK_ROWS;
        java.util.Arrays.fill(headDk, 0, c.heads() * T * hd, 0f);
        java.util.Arrays.fill(headDv, 0, c.heads() * T * hd, 0f);
        // Tasks are whole heads here (each owns its dK, dV share), walked in token order.
        Parallel.forRange(c.heads(), 1, (from, to) -> {
            float[] p = new float[ROWS * padded], dp = new float[ROWS * padded];
            for (int h = from; h < to; h++) {
                int kvh = h / c.groupSize(), kvOff = kvh * hd;
                for (int t0 = 0; t0 < T; t0 += ROWS) {
                    int rows = Math.min(ROWS, T - t0), width = Math.min(padded, roundUp(t0 + rows, 2 * F.length()));
                    int keys = Math.min(t0 + ROWS, T), lo = firstKey(t0, rows);
                    probabilities(q, h, t0, rows, p, T);
                    TileMultiply.addTransposed(valuesT, kvOff * padded + lo, padded, hd, width - lo, dAtt, c.queryDim(),
                            t0 * c.queryDim() + h * hd, dp, padded, lo, rows, true);
                    float scale = (float) (1.0 / Math.sqrt(hd));
                    for (int i = 0; i < rows; i++) {
                        int t = t0 + i, first = first(t), row = i * padded;
                        double weighted = 0;
                        for (int j = first; j <= t; j++) weighted += (double) p[row + j] * dp[row + j];
                        float w = (float) weighted;
                        for (int j = first; j <= t; j++) dp[row + j] = p[row + j] * (dp[row + j] - w) * scale;
                        java.util.Arrays.fill(dp, row, row + first, 0f);
                        java.util.Arrays.fill(dp, row + t + 1, row + width, 0f);
                    }
                    TileMultiply.addTransposed(k, kvOff + lo * c.kvDim(), c.kvDim(), keys - lo, hd, dp, padded, lo, dq, c.queryDim(),
                            t0 * c.queryDim() + h * hd, rows, true);
                    int share = h * T * hd;
                    addOuter(headDk, share, lo, keys, dp, rows, q, t0 * c.queryDim() + h * hd, c.queryDim());
                    addOuter(headDv, share, lo, keys, p, rows, dAtt, t0 * c.queryDim() + h * hd, c.queryDim());
                }
            }
        });
        int group = c.groupSize();
        Parallel.forRange(T, Parallel.grain((long) c.kvDim() * group), (from, to) -> {
            for (int t = from; t < to; t++) {
                for (int kvh = 0; kvh < c.kvHeads(); kvh++) {
                    int out = t * c.kvDim() + kvh * hd;
                    for (int j = 0; j < hd; j++) {
                        float sk = 0, sv = 0;
                        for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                            sk += headDk[(h * T + t) * hd + j];
                            sv += headDv[(h * T + t) * hd + j];
                        }
                        dk[out + j] = sk;
                        dv[out + j] = sv;
                    }
                }
            }
        });
    }

    /**
     * The first key any of rows t0 .. t0 + rows attends to, rounded down to a register tile: the products
     * start there (a packed row's later sequences and a sliding window skip the keys they never see;
     * the skipped weights are zeros, so the sums are the same).
     */
    private int firstKey(int t0, int rows) {
        int lo = first(t0);
        for (int i = 1; i < rows; i++) lo = Math.min(lo, first(t0 + i));
        return lo / (2 * F.length()) * (2 * F.length());
    }

    /** The first key token t attends to: its sequence's first token, or the sliding window's. */
    private int first(int t) {
        return c.slidingWindow() > 0 ? Math.max(sequenceStart[t], t - c.slidingWindow() + 1) : sequenceStart[t];
    }

    /**
     * Rows t0 .. t0 + rows of head h's attention weights into p (row i at i·padded), zero outside
     * each row's window and up to the tile width.
     */
    private void probabilities(float[] q, int h, int t0, int rows, float[] p, int T) {
        int hd = c.headDim(), width = Math.min(padded, roundUp(t0 + rows, 2 * F.length())), lo = firstKey(t0, rows);
        int kvh = h / c.groupSize();
        TileMultiply.addTransposed(keysT, kvh * hd * padded + lo, padded, hd, width - lo, q, c.queryDim(),
                t0 * c.queryDim() + h * hd, p, padded, lo, rows, true);
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int i = 0; i < rows; i++) {
            int t = t0 + i, first = first(t), row = i * padded;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = first; j <= t; j++) {
                p[row + j] *= scale;
                max = Math.max(max, p[row + j]);
            }
            float inverse = (float) (1.0 / VectorExp.expShifted(p, row + first, t - first + 1, max));
            for (int j = first; j <= t; j++) p[row + j] *= inverse;
            java.util.Arrays.fill(p, row, row + first, 0f);
            java.util.Arrays.fill(p, row + t + 1, row + width, 0f);
        }
    }

    /** share[p·hd + j] += Σ_i coef[i·padded + p] · x[xOff + i·xStride + j] for from ≤ p < keys, i < rows, j < hd. */
    private void addOuter(float[] share, int shareOff, int from, int keys, float[] coef, int rows, float[] x, int xOff,
                          int xStride) {
        int hd = c.headDim(), step = F.length(), vectors = hd - hd % step;
        for (int p = from; p < keys; p++) {
            int out = shareOff + p * hd;
            for (int j = 0; j < vectors; j += step) {
                FloatVector acc = FloatVector.fromArray(F, share, out + j);
                for (int i = 0; i < rows; i++) {
                    float a = coef[i * padded + p];
                    if (a != 0f) acc = FloatVector.fromArray(F, x, xOff + i * xStride + j).fma(FloatVector.broadcast(F, a), acc);
                }
                acc.intoArray(share, out + j);
            }
            for (int j = vectors; j < hd; j++) {
                float acc = share[out + j];
                for (int i = 0; i < rows; i++) acc = Math.fma(coef[i * padded + p], x[xOff + i * xStride + j], acc);
                share[out + j] = acc;
            }
        }
    }

    /** [T, kvHeads·hd] → [kvHeads, hd, padded], zeros beyond T. */
    private void transpose(float[] rows, float[] transposed, int T) {
        int hd = c.headDim();
        for (int kvh = 0; kvh < c.kvHeads(); kvh++) {
            for (int d = 0; d < hd; d++) {
                int out = (kvh * hd + d) * padded, in = kvh * hd + d;
                for (int t = 0; t < T; t++) transposed[out + t] = rows[in + t * c.kvDim()];
                java.util.Arrays.fill(transposed, out + T, out + padded, 0f);
            }
        }
    }
}
