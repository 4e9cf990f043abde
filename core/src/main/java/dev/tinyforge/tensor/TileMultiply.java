package dev.tinyforge.tensor;

import static dev.tinyforge.tensor.VectorMath.F;

import jdk.incubator.vector.FloatVector;

/**
 * A few weight rows (already decoded to floats) times a batch of activation rows: the inner kernel of
 * prompt processing, where every decoded weight row serves the whole batch.
 *
 * <p>Register tile of 4 weight rows × 2 activation rows: each step loads 6 vectors for 8 FMAs, where a
 * plain row-by-row dot loads 2 per FMA and runs at the load ports' pace rather than the FMA units'.
 * Eight accumulators + 4 weights + 1 activation fit AVX2's 16 registers: 54–58 GFLOP/s per core at
 * batch 128, against 39 for a 3 × 4 tile whose 12 accumulators spill (Zen 3, AVX2, 2026-11-22).
 */
public final class TileMultiply {
    private TileMultiply() {}

    /**
     * out[t * outStride + outRow + i] = Σ_c w[wOff + i * cols + c] · x[t * cols + c] for i in
     * [0, rowCount) and t in [0, batch).
     */
    public static void multiply(float[] w, int wOff, int rowCount, int cols, float[] x, int batch,
                                float[] out, int outStride, int outRow) {
        multiplyTokens(w, wOff, rowCount, cols, x, 0, batch, out, outStride, outRow);
    }

    /** {@link #multiply} for the activation rows (tokens) {@code [from, to)} only. */
    public static void multiplyTokens(float[] w, int wOff, int rowCount, int cols, float[] x, int from, int to,
                                      float[] out, int outStride, int outRow) {
        int full = rowCount - rowCount % 4;
        int t = from;
        // Token quads outside, row quads inside: the activation rows stay in L1 while they meet every
        // decoded weight row (which stay in L2).
        for (; t + 4 <= to; t += 4) {
            for (int i = 0; i < full; i += 4) rows4tokens4(w, wOff + i * cols, cols, x, t, out, outStride, outRow + i);
        }
        for (; t + 2 <= to; t += 2) {
            for (int i = 0; i < full; i += 4) rows4tokens2(w, wOff + i * cols, cols, x, t, out, outStride, outRow + i);
        }
        for (; t < to; t++) {
            for (int i = 0; i < full; i++) out[t * outStride + outRow + i] = VectorMath.dot(w, wOff + i * cols, x, t * cols, cols);
        }
        for (int i = full; i < rowCount; i++) {
            for (t = from; t < to; t++) out[t * outStride + outRow + i] = VectorMath.dot(w, wOff + i * cols, x, t * cols, cols);
        }
    }

    /**
     * 4 rows × 4 tokens: 16 accumulators, each of the 8 vectors loaded feeds four FMAs (the 4 × 2 tile
     * feeds two per weight load); the tails add as {@link #rows4tokens2} does.
     */
    private static void rows4tokens4(float[] w, int w0, int cols, float[] x, int t, float[] out, int outStride, int outRow) {
        int w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
        int x0 = t * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += F.length()) {
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + c), v1 = FloatVector.fromArray(F, x, x1 + c);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + c), v3 = FloatVector.fromArray(F, x, x3 + c);
            FloatVector r = FloatVector.fromArray(F, w, w0 + c);
            a00 = r.fma(v0, a00);
            a01 = r.fma(v1, a01);
            a02 = r.fma(v2, a02);
            a03 = r.fma(v3, a03);
            r = FloatVector.fromArray(F, w, w1 + c);
            a10 = r.fma(v0, a10);
            a11 = r.fma(v1, a11);
            a12 = r.fma(v2, a12);
            a13 = r.fma(v3, a13);
            r = FloatVector.fromArray(F, w, w2 + c);
            a20 = r.fma(v0, a20);
            a21 = r.fma(v1, a21);
            a22 = r.fma(v2, a22);
            a23 = r.fma(v3, a23);
            r = FloatVector.fromArray(F, w, w3 + c);
            a30 = r.fma(v0, a30);
            a31 = r.fma(v1, a31);
            a32 = r.fma(v2, a32);
            a33 = r.fma(v3, a33);
        }
        finish(a00, w, w0, x, x0, c, cols, out, t * outStride + outRow);
        finish(a01, w, w0, x, x1, c, cols, out, (t + 1) * outStride + outRow);
        finish(a02, w, w0, x, x2, c, cols, out, (t + 2) * outStride + outRow);
        finish(a03, w, w0, x, x3, c, cols, out, (t + 3) * outStride + outRow);
        finish(a10, w, w1, x, x0, c, cols, out, t * outStride + outRow + 1);
        finish(a11, w, w1, x, x1, c, cols, out, (t + 1) * outStride + outRow + 1);
        finish(a12, w, w1, x, x2, c, cols, out, (t + 2) * outStride + outRow + 1);
        finish(a13, w, w1, x, x3, c, cols, out, (t + 3) * outStride + outRow + 1);
        finish(a20, w, w2, x, x0, c, cols, out, t * outStride + outRow + 2);
        finish(a21, w, w2, x, x1, c, cols, out, (t + 1) * outStride + outRow + 2);
        finish(a22, w, w2, x, x2, c, cols, out, (t + 2) * outStride + outRow + 2);
        finish(a23, w, w2, x, x3, c, cols, out, (t + 3) * outStride + outRow + 2);
        finish(a30, w, w3, x, x0, c, cols, out, t * outStride + outRow + 3);
        finish(a31, w, w3, x, x1, c, cols, out, (t + 1) * outStride + outRow + 3);
        finish(a32, w, w3, x, x2, c, cols, out, (t + 2) * outStride + outRow + 3);
        finish(a33, w, w3, x, x3, c, cols, out, (t + 3) * outStride + outRow + 3);
    }

    /** out[o] = the accumulator's lanes in a fixed order, plus the scalar tail from column c. */
    private static void finish(FloatVector acc, float[] w, int wr, float[] x, int xr, int c, int cols, float[] out, int o) {
        float sum = VectorMath.sumLanes(acc);
        for (; c < cols; c++) sum += w[wr + c] * x[xr + c];
        out[o] = sum;
    }

    private static void rows4tokens2(float[] w, int w0, int cols, float[] x, int t, float[] out, int outStride, int outRow) {
        int w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
        int x0 = t * cols, x1 = x0 + cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += F.length()) {
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + c), v1 = FloatVector.fromArray(F, x, x1 + c);
            FloatVector r = FloatVector.fromArray(F, w, w0 + c);
            a00 = r.fma(v0, a00);
            a01 = r.fma(v1, a01);
            r = FloatVector.fromArray(F, w, w1 + c);
            a10 = r.fma(v0, a10);
            a11 = r.fma(v1, a11);
            r = FloatVector.fromArray(F, w, w2 + c);
            a20 = r.fma(v0, a20);
            a21 = r.fma(v1, a21);
            r = FloatVector.fromArray(F, w, w3 + c);
            a30 = r.fma(v0, a30);
            a31 = r.fma(v1, a31);
        }
        // Lanes summed in a fixed order: reduceLanes may order them otherwise once compiled, and training
        // must give the same bits whenever the JIT steps in.
        float s00 = VectorMath.sumLanes(a00), s01 = VectorMath.sumLanes(a01);
        float s10 = VectorMath.sumLanes(a10), s11 = VectorMath.sumLanes(a11);
        float s20 = VectorMath.sumLanes(a20), s21 = VectorMath.sumLanes(a21);
        float s30 = VectorMath.sumLanes(a30), s31 = VectorMath.sumLanes(a31);
        for (; c < cols; c++) {
            float v0 = x[x0 + c], v1 = x[x1 + c];
            s00 += w[w0 + c] * v0;
            s01 += w[w0 + c] * v1;
            s10 += w[w1 + c] * v0;
            s11 += w[w1 + c] * v1;
            s20 += w[w2 + c] * v0;
            s21 += w[w2 + c] * v1;
            s30 += w[w3 + c] * v0;
            s31 += w[w3 + c] * v1;
        }
        int o0 = t * outStride + outRow, o1 = o0 + outStride;
        out[o0] = s00;
        out[o1] = s01;
        out[o0 + 1] = s10;
        out[o1 + 1] = s11;
        out[o0 + 2] = s20;
        out[o1 + 2] = s21;
        out[o0 + 3] = s30;
        out[o1 + 3] = s31;
    }
    /**
     * dx[t·dxStride + dxCol + j] += Σ_i dy[t·dyStride + dyRow + i] · w[wOff + i·wStride + j] for i in [0, n),
     * j in [0, width), t in [0, batch) (or = instead of += when {@code overwrite}): a slice of the
     * product with Wᵀ over {@code n} weight rows, which backpropagation through a frozen weight needs.
     *
     * <p>Register tiles of 6 tokens × 2 vectors of columns (12 accumulators, 2 weight vectors and a
     * broadcast: 15 of AVX2's 16 registers) accumulate over i; each weight vector loaded feeds six FMAs.
     * 6 × 2 ran 59–78 GFLOP/s per core against 40–52 for 4 × 2 (Zen 3, AVX2, best of 25, 2026-11-22).
     * Every path, tiles and tails alike, adds with one FMA per i in order from the same start, so the
     * tiling does not change a bit of the result, and consecutive row slices give the sums of one call.
     */
    public static void addTransposed(float[] w, int wOff, int wStride, int n, int width, float[] dy, int dyStride, int dyRow,
                                     float[] dx, int dxStride, int dxCol, int batch, boolean overwrite) {
        // With 32 registers (AVX-512), 4 tokens × 4 vectors: 16 accumulators, and each broadcast feeds four
        // FMAs instead of two (a lone tile ran 136 GFLOP/s against 122 for 6 × 2, one core, 2026-12-06).
        int wide = WIDE_TILES ? 4 * F.length() : Integer.MAX_VALUE;
        int wideCols = width >= wide && batch >= 4 ? width - width % wide : 0;
        if (wideCols > 0) {
            int t = 0;
            for (; t + 4 <= batch; t += 4) {
                for (int j = 0; j < wideCols; j += wide) {
                    tokens4wide(w, wOff + j, wStride, n, dy, dyStride, dyRow + t * dyStride, dx, dxStride, dxCol + j + t * dxStride,
                            overwrite);
                }
            }
            if (t < batch) {
                addTransposedNarrow(w, wOff, wStride, n, wideCols, dy, dyStride, dyRow + t * dyStride, dx, dxStride,
                        dxCol + t * dxStride, batch - t, overwrite);
            }
            if (wideCols < width) {
                addTransposedNarrow(w, wOff + wideCols, wStride, n, width - wideCols, dy, dyStride, dyRow, dx, dxStride,
                        dxCol + wideCols, batch, overwrite);
            }
            return;
        }
        addTransposedNarrow(w, wOff, wStride, n, width, dy, dyStride, dyRow, dx, dxStride, dxCol, batch, overwrite);
    }

    /** The 4 × 4 tiles need 32 vector registers: AVX-512's (on AVX2 they would spill). */
    private static final boolean WIDE_TILES = F.length() == 16;

    private static void tokens4wide(float[] w, int w0, int wStride, int n, float[] dy, int dyStride, int y0, float[] dx,
                                    int dxStride, int o0, boolean overwrite) {
        int s = F.length();
        int o1 = o0 + dxStride, o2 = o1 + dxStride, o3 = o2 + dxStride;
        FloatVector a0, b0, c0, d0, a1, b1, c1, d1, a2, b2, c2, d2, a3, b3, c3, d3;
        if (overwrite) {
            a0 = FloatVector.zero(F);
            b0 = a0; c0 = a0; d0 = a0; a1 = a0; b1 = a0; c1 = a0; d1 = a0;
            a2 = a0; b2 = a0; c2 = a0; d2 = a0; a3 = a0; b3 = a0; c3 = a0; d3 = a0;
        } else {
            a0 = FloatVector.fromArray(F, dx, o0); b0 = FloatVector.fromArray(F, dx, o0 + s);
            c0 = FloatVector.fromArray(F, dx, o0 + 2 * s); d0 = FloatVector.fromArray(F, dx, o0 + 3 * s);
            a1 = FloatVector.fromArray(F, dx, o1); b1 = FloatVector.fromArray(F, dx, o1 + s);
            c1 = FloatVector.fromArray(F, dx, o1 + 2 * s); d1 = FloatVector.fromArray(F, dx, o1 + 3 * s);
            a2 = FloatVector.fromArray(F, dx, o2); b2 = FloatVector.fromArray(F, dx, o2 + s);
            c2 = FloatVector.fromArray(F, dx, o2 + 2 * s); d2 = FloatVector.fromArray(F, dx, o2 + 3 * s);
            a3 = FloatVector.fromArray(F, dx, o3); b3 = FloatVector.fromArray(F, dx, o3 + s);
            c3 = FloatVector.fromArray(F, dx, o3 + 2 * s); d3 = FloatVector.fromArray(F, dx, o3 + 3 * s);
        }
        int y1 = y0 + dyStride, y2 = y1 + dyStride, y3 = y2 + dyStride;
        int off = w0;
        for (int i = 0; i < n; i++, off += wStride) {
            FloatVector v0 = FloatVector.fromArray(F, w, off), v1 = FloatVector.fromArray(F, w, off + s);
            FloatVector v2 = FloatVector.fromArray(F, w, off + 2 * s), v3 = FloatVector.fromArray(F, w, off + 3 * s);
            FloatVector g = FloatVector.broadcast(F, dy[y0 + i]);
            a0 = v0.fma(g, a0); b0 = v1.fma(g, b0); c0 = v2.fma(g, c0); d0 = v3.fma(g, d0);
            g = FloatVector.broadcast(F, dy[y1 + i]);
            a1 = v0.fma(g, a1); b1 = v1.fma(g, b1); c1 = v2.fma(g, c1); d1 = v3.fma(g, d1);
            g = FloatVector.broadcast(F, dy[y2 + i]);
            a2 = v0.fma(g, a2); b2 = v1.fma(g, b2); c2 = v2.fma(g, c2); d2 = v3.fma(g, d2);
            g = FloatVector.broadcast(F, dy[y3 + i]);
            a3 = v0.fma(g, a3); b3 = v1.fma(g, b3); c3 = v2.fma(g, c3); d3 = v3.fma(g, d3);
        }
        a0.intoArray(dx, o0); b0.intoArray(dx, o0 + s); c0.intoArray(dx, o0 + 2 * s); d0.intoArray(dx, o0 + 3 * s);
        a1.intoArray(dx, o1); b1.intoArray(dx, o1 + s); c1.intoArray(dx, o1 + 2 * s); d1.intoArray(dx, o1 + 3 * s);
        a2.intoArray(dx, o2); b2.intoArray(dx, o2 + s); c2.intoArray(dx, o2 + 2 * s); d2.intoArray(dx, o2 + 3 * s);
        a3.intoArray(dx, o3); b3.intoArray(dx, o3 + s); c3.intoArray(dx, o3 + 2 * s); d3.intoArray(dx, o3 + 3 * s);
    }

    /** {@link #addTransposed} with tiles of 6 (then 4) tokens × 2 vectors. */
    private static void addTransposedNarrow(float[] w, int wOff, int wStride, int n, int width, float[] dy, int dyStride,
                                            int dyRow, float[] dx, int dxStride, int dxCol, int batch, boolean overwrite) {
        int step = F.length(), tile = 2 * step;
        int tiles = width - width % tile, vectors = width - width % step;
        int t = 0;
        for (; t + 6 <= batch; t += 6) {
            for (int j = 0; j < tiles; j += tile) {
                tokens6(w, wOff + j, wStride, n, dy, dyStride, dyRow + t * dyStride, dx, dxStride, dxCol + j + t * dxStride,
                        overwrite);
            }
        }
        for (; t + 4 <= batch; t += 4) {
            for (int j = 0; j < tiles; j += tile) {
                tokens4(w, wOff + j, wStride, n, dy, dyStride, dyRow + t * dyStride, dx, dxStride, dxCol + j + t * dxStride,
                        overwrite);
            }
        }
        int tiled = t;
        // A lone vector of columns (a LoRA factor's 16 columns): six tokens at once, six FMA chains instead of one.
        int narrow = 0;
        if (tiles < vectors) {
            for (; narrow + 6 <= batch; narrow += 6) {
                for (int j = tiles; j < vectors; j += step) {
                    tokens6narrow(w, wOff + j, wStride, n, dy, dyStride, dyRow + narrow * dyStride, dx, dxStride,
                            dxCol + j + narrow * dxStride, overwrite);
                }
            }
        }
        for (t = 0; t < batch; t++) {
            for (int j = t < tiled ? tiles : 0; j < vectors; j += step) {
                if (j >= tiles && t < narrow) continue;
                int o = t * dxStride + dxCol + j;
                FloatVector acc = overwrite ? FloatVector.zero(F) : FloatVector.fromArray(F, dx, o);
                for (int i = 0; i < n; i++) {
                    acc = FloatVector.fromArray(F, w, wOff + i * wStride + j).fma(FloatVector.broadcast(F, dy[t * dyStride + dyRow + i]), acc);
                }
                acc.intoArray(dx, o);
            }
        }
        for (int j = vectors; j < width; j++) {
            for (t = 0; t < batch; t++) {
                int o = t * dxStride + dxCol + j;
                float sum = overwrite ? 0f : dx[o];
                for (int i = 0; i < n; i++) sum = Math.fma(dy[t * dyStride + dyRow + i], w[wOff + i * wStride + j], sum);
                dx[o] = sum;
            }
        }
    }

    private static void tokens6narrow(float[] w, int w0, int wStride, int n, float[] dy, int dyStride, int y0, float[] dx,
                                      int dxStride, int o0, boolean overwrite) {
        int o1 = o0 + dxStride, o2 = o1 + dxStride, o3 = o2 + dxStride, o4 = o3 + dxStride, o5 = o4 + dxStride;
        FloatVector a0, a1, a2, a3, a4, a5;
        if (overwrite) {
            a0 = FloatVector.zero(F);
            a1 = a0;
            a2 = a0;
            a3 = a0;
            a4 = a0;
            a5 = a0;
        } else {
            a0 = FloatVector.fromArray(F, dx, o0);
            a1 = FloatVector.fromArray(F, dx, o1);
            a2 = FloatVector.fromArray(F, dx, o2);
            a3 = FloatVector.fromArray(F, dx, o3);
            a4 = FloatVector.fromArray(F, dx, o4);
            a5 = FloatVector.fromArray(F, dx, o5);
        }
        int y1 = y0 + dyStride, y2 = y1 + dyStride, y3 = y2 + dyStride, y4 = y3 + dyStride, y5 = y4 + dyStride;
        int off = w0;
        for (int i = 0; i < n; i++, off += wStride) {
            FloatVector v = FloatVector.fromArray(F, w, off);
            a0 = v.fma(FloatVector.broadcast(F, dy[y0 + i]), a0);
            a1 = v.fma(FloatVector.broadcast(F, dy[y1 + i]), a1);
            a2 = v.fma(FloatVector.broadcast(F, dy[y2 + i]), a2);
            a3 = v.fma(FloatVector.broadcast(F, dy[y3 + i]), a3);
            a4 = v.fma(FloatVector.broadcast(F, dy[y4 + i]), a4);
            a5 = v.fma(FloatVector.broadcast(F, dy[y5 + i]), a5);
        }
        a0.intoArray(dx, o0);
        a1.intoArray(dx, o1);
        a2.intoArray(dx, o2);
        a3.intoArray(dx, o3);
        a4.intoArray(dx, o4);
        a5.intoArray(dx, o5);
    }

    /**
     * out[t·outStride + outRow + k] = Σ_c w[wOff + k·cols + c] · x[t·cols + c] for k in [0, rowCount ≤ PANEL):
     * the forward product through {@link #addTransposed}, with the rows first transposed into
     * {@code panel} (cols × {@link #PANEL} floats), so each weight vector again feeds six FMAs and no sum needs a
     * horizontal add. Packing costs one copy per weight for {@code batch} FMAs; 61–65 GFLOP/s per core
     * against 44–49 for {@link #multiply} at batch 256 (Zen 3, AVX2, 2026-11-22). Sums run over c in order.
     */
    public static void multiplyPacked(float[] w, int wOff, int rowCount, int cols, float[] x, int batch, float[] out,
                                      int outStride, int outRow, float[] panel) {
        if (batch < PACKED_FROM_BATCH || rowCount < PANEL) {
            // Packing costs about one gather per weight; below ~10 tokens the two-token dots beat it
            // (batch 8, 1536 x 576, one core: 34 GFLOP/s unpacked, 28 packed; batch 12: 35 and 42). A panel
            // of fewer rows (a LoRA factor's 16) would leave most tile columns empty: the dots serve it too.
            multiply(w, wOff, rowCount, cols, x, batch, out, outStride, outRow);
            return;
        }
        // Column by column: the panel is written in order (row by row it was written with a 128-byte
        // stride, a new cache line per value, and packing cost 1.5 ns per weight), reading rowCount streams.
        if (rowCount == PANEL) {
            int[] rowStarts = new int[F.length()];
            for (int k = 0; k < rowStarts.length; k++) rowStarts[k] = k * cols;
            int half = F.length() * cols;
            for (int c = 0; c < cols; c++) {
                int at = c * PANEL;
                FloatVector.fromArray(F, w, wOff + c, rowStarts, 0).intoArray(panel, at);
                FloatVector.fromArray(F, w, wOff + half + c, rowStarts, 0).intoArray(panel, at + F.length());
            }
        } else {
            for (int c = 0; c < cols; c++) {
                int at = c * PANEL;
                for (int k = 0; k < rowCount; k++) panel[at + k] = w[wOff + k * cols + c];
            }
        }
        // A slice of the panel stays in L1 while every token passes over it (a whole 576-column panel
        // is 72 KiB: from L2 the product ran at 53 GFLOP/s, from L1 as fast as the transposed one).
        for (int c0 = 0; c0 < cols; c0 += PACKED_SLICE) {
            addTransposed(panel, c0 * PANEL, PANEL, Math.min(PACKED_SLICE, cols - c0), rowCount, x, cols, c0, out, outStride,
                    outRow, batch, c0 == 0);
        }
    }

    /** The smallest batch that {@link #multiplyPacked} packs for. */
    public static final int PACKED_FROM_BATCH = 10;

    /** Panel rows (columns of W) per pass of {@link #multiplyPacked}: 128 × 32 floats is 16 KiB. */
    private static final int PACKED_SLICE = 128;

    /** Rows per packed panel of {@link #multiplyPacked}: one register tile wide (16 floats with AVX2). */
    public static final int PANEL = 2 * F.length();

    private static void tokens6(float[] w, int w0, int wStride, int n, float[] dy, int dyStride, int y0, float[] dx,
                                int dxStride, int o0, boolean overwrite) {
        int step = F.length();
        FloatVector a0, b0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5;
        if (overwrite) {
            a0 = FloatVector.zero(F);
            b0 = a0;
            a1 = a0;
            b1 = a0;
            a2 = a0;
            b2 = a0;
            a3 = a0;
            b3 = a0;
            a4 = a0;
            b4 = a0;
            a5 = a0;
            b5 = a0;
        } else {
            int o = o0;
            a0 = FloatVector.fromArray(F, dx, o);
            b0 = FloatVector.fromArray(F, dx, o + step);
            o += dxStride;
            a1 = FloatVector.fromArray(F, dx, o);
            b1 = FloatVector.fromArray(F, dx, o + step);
            o += dxStride;
            a2 = FloatVector.fromArray(F, dx, o);
            b2 = FloatVector.fromArray(F, dx, o + step);
            o += dxStride;
            a3 = FloatVector.fromArray(F, dx, o);
            b3 = FloatVector.fromArray(F, dx, o + step);
            o += dxStride;
            a4 = FloatVector.fromArray(F, dx, o);
            b4 = FloatVector.fromArray(F, dx, o + step);
            o += dxStride;
            a5 = FloatVector.fromArray(F, dx, o);
            b5 = FloatVector.fromArray(F, dx, o + step);
        }
        int y1 = y0 + dyStride, y2 = y1 + dyStride, y3 = y2 + dyStride, y4 = y3 + dyStride, y5 = y4 + dyStride;
        int off = w0;
        for (int i = 0; i < n; i++, off += wStride) {
            FloatVector lo = FloatVector.fromArray(F, w, off), hi = FloatVector.fromArray(F, w, off + step);
            FloatVector g = FloatVector.broadcast(F, dy[y0 + i]);
            a0 = lo.fma(g, a0);
            b0 = hi.fma(g, b0);
            g = FloatVector.broadcast(F, dy[y1 + i]);
            a1 = lo.fma(g, a1);
            b1 = hi.fma(g, b1);
            g = FloatVector.broadcast(F, dy[y2 + i]);
            a2 = lo.fma(g, a2);
            b2 = hi.fma(g, b2);
            g = FloatVector.broadcast(F, dy[y3 + i]);
            a3 = lo.fma(g, a3);
            b3 = hi.fma(g, b3);
            g = FloatVector.broadcast(F, dy[y4 + i]);
            a4 = lo.fma(g, a4);
            b4 = hi.fma(g, b4);
            g = FloatVector.broadcast(F, dy[y5 + i]);
            a5 = lo.fma(g, a5);
            b5 = hi.fma(g, b5);
        }
        int o = o0;
        a0.intoArray(dx, o);
        b0.intoArray(dx, o + step);
        o += dxStride;
        a1.intoArray(dx, o);
        b1.intoArray(dx, o + step);
        o += dxStride;
        a2.intoArray(dx, o);
        b2.intoArray(dx, o + step);
        o += dxStride;
        a3.intoArray(dx, o);
        b3.intoArray(dx, o + step);
        o += dxStride;
        a4.intoArray(dx, o);
        b4.intoArray(dx, o + step);
        o += dxStride;
        a5.intoArray(dx, o);
        b5.intoArray(dx, o + step);
    }

    private static void tokens4(float[] w, int w0, int wStride, int n, float[] dy, int dyStride, int y0, float[] dx,
                                int dxStride, int o0, boolean overwrite) {
        int step = F.length();
        int o1 = o0 + dxStride, o2 = o1 + dxStride, o3 = o2 + dxStride;
        FloatVector a0, b0, a1, b1, a2, b2, a3, b3;
        if (overwrite) {
            a0 = FloatVector.zero(F);
            b0 = a0;
            a1 = a0;
            b1 = a0;
            a2 = a0;
            b2 = a0;
            a3 = a0;
            b3 = a0;
        } else {
            a0 = FloatVector.fromArray(F, dx, o0);
            b0 = FloatVector.fromArray(F, dx, o0 + step);
            a1 = FloatVector.fromArray(F, dx, o1);
            b1 = FloatVector.fromArray(F, dx, o1 + step);
            a2 = FloatVector.fromArray(F, dx, o2);
            b2 = FloatVector.fromArray(F, dx, o2 + step);
            a3 = FloatVector.fromArray(F, dx, o3);
            b3 = FloatVector.fromArray(F, dx, o3 + step);
        }
        int y1 = y0 + dyStride, y2 = y1 + dyStride, y3 = y2 + dyStride;
        for (int i = 0; i < n; i++) {
            int off = w0 + i * wStride;
            FloatVector lo = FloatVector.fromArray(F, w, off), hi = FloatVector.fromArray(F, w, off + step);
            FloatVector g = FloatVector.broadcast(F, dy[y0 + i]);
            a0 = lo.fma(g, a0);
            b0 = hi.fma(g, b0);
            g = FloatVector.broadcast(F, dy[y1 + i]);
            a1 = lo.fma(g, a1);
            b1 = hi.fma(g, b1);
            g = FloatVector.broadcast(F, dy[y2 + i]);
            a2 = lo.fma(g, a2);
            b2 = hi.fma(g, b2);
            g = FloatVector.broadcast(F, dy[y3 + i]);
            a3 = lo.fma(g, a3);
            b3 = hi.fma(g, b3);
        }
        a0.intoArray(dx, o0);
        b0.intoArray(dx, o0 + step);
        a1.intoArray(dx, o1);
        b1.intoArray(dx, o1 + step);
        a2.intoArray(dx, o2);
        b2.intoArray(dx, o2 + step);
        a3.intoArray(dx, o3);
        b3.intoArray(dx, o3 + step);
    }
}
