package dev.tinyforge.quant;

import static dev.tinyforge.quant.Lanes.L;
import static dev.tinyforge.quant.Lanes.f16;
import static dev.tinyforge.quant.Lanes.splat;
import static dev.tinyforge.quant.Lanes.toFloat;
import static dev.tinyforge.quant.Lanes.u8;
import static dev.tinyforge.quant.Lanes.x;

import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link DotKernel} for Q6_K ({@link Q6KBlock}): per 128 values, 64 bytes of low nibbles and 32 of
 * 2-bit high parts feed four values each; sixteen signed 8-bit scales, one per 16 values; value =
 * d·scale·(q − 32). The −32 multiplies each 16-value group's activation sum.
 */
final class Q6KKernel implements DotKernel {
    static final Q6KKernel INSTANCE = new Q6KKernel();
    private static final int BYTES = 210;

    private Q6KKernel() {}

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public int preparedLength(int cols) {
        return Activations.lengthWithSums(cols, 16);
    }

    @Override
    public void prepare(float[] x, int xOff, int cols, float[] act, int actOff) {
        Activations.copyWithSums(x, xOff, cols, 16, act, actOff);
    }

    @Override
    public float dot(MemorySegment w, long off, float[] act, int actOff, int cols, float[] scratch) {
        FloatVector acc0 = FloatVector.zero(Lanes.F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        float offsets = 0;
        int sums = actOff + cols;
        for (int sb = 0; sb < cols / 256; sb++, off += BYTES) {
            float d = f16(w, off + 208);
            float o = 0;
            for (int h = 0; h < 2; h++) {
                long ql = off + 64 * h, qh = off + 128 + 32 * h, sc = off + 192 + 8 * h;
                int a = actOff + 256 * sb + 128 * h;
                for (int g = 0; g < 2; g++) {
                    // Values 16g .. 16g + 15 of each of the four 32-value quarters of this half.
                    FloatVector t0 = FloatVector.zero(Lanes.F), t1 = t0, t2 = t0, t3 = t0;
                    for (int l = 16 * g; l < 16 * g + 16; l += L) {
                        IntVector lo = u8(w, ql + l), hi = u8(w, ql + 32 + l), top = u8(w, qh + l);
                        t0 = toFloat(lo.and(0x0F).or(top.and(3).lanewise(VectorOperators.LSHL, 4))).fma(x(act, a + l), t0);
                        t1 = toFloat(hi.and(0x0F).or(top.and(12).lanewise(VectorOperators.LSHL, 2))).fma(x(act, a + 32 + l), t1);
                        t2 = toFloat(lo.lanewise(VectorOperators.LSHR, 4).or(top.and(48))).fma(x(act, a + 64 + l), t2);
                        t3 = toFloat(hi.lanewise(VectorOperators.LSHR, 4).or(top.lanewise(VectorOperators.LSHR, 2).and(48)))
                                .fma(x(act, a + 96 + l), t3);
                    }
                    int s0 = w.get(LittleEndian.I8, sc + g), s1 = w.get(LittleEndian.I8, sc + g + 2);
                    int s2 = w.get(LittleEndian.I8, sc + g + 4), s3 = w.get(LittleEndian.I8, sc + g + 6);
                    acc0 = t0.fma(splat(d * s0), acc0);
                    acc1 = t1.fma(splat(d * s1), acc1);
                    acc2 = t2.fma(splat(d * s2), acc2);
                    acc3 = t3.fma(splat(d * s3), acc3);
                    int group = sums + 16 * sb + 8 * h + g;
                    o += s0 * act[group] + s1 * act[group + 2] + s2 * act[group + 4] + s3 * act[group + 6];
                }
            }
            offsets += d * o;
        }
        return acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD) - 32 * offsets;
    }

    @Override
    public void decode(MemorySegment w, long off, float[] dst, int dstOff, int cols) {
        for (int sb = 0; sb < cols / 256; sb++, off += BYTES) {
            float d = f16(w, off + 208);
            for (int h = 0; h < 2; h++) {
                long ql = off + 64 * h, qh = off + 128 + 32 * h, sc = off + 192 + 8 * h;
                int at = dstOff + 256 * sb + 128 * h;
                for (int l = 0; l < 32; l += L) {
                    int g = l / 16;
                    IntVector lo = u8(w, ql + l), hi = u8(w, ql + 32 + l), top = u8(w, qh + l);
                    scaled(lo.and(0x0F).or(top.and(3).lanewise(VectorOperators.LSHL, 4)), d, w, sc + g, dst, at + l);
                    scaled(hi.and(0x0F).or(top.and(12).lanewise(VectorOperators.LSHL, 2)), d, w, sc + g + 2, dst, at + 32 + l);
                    scaled(lo.lanewise(VectorOperators.LSHR, 4).or(top.and(48)), d, w, sc + g + 4, dst, at + 64 + l);
                    scaled(hi.lanewise(VectorOperators.LSHR, 4).or(top.lanewise(VectorOperators.LSHR, 2).and(48)), d, w, sc + g + 6,
                            dst, at + 96 + l);
                }
            }
        }
    }

    /** dst[at ..] = (d·scale)·(q − 32), as ggml rounds it. */
    private static void scaled(IntVector q, float d, MemorySegment w, long scale, float[] dst, int at) {
        toFloat(q.sub(32)).mul(d * w.get(LittleEndian.I8, scale)).intoArray(dst, at);
    }
}
