package dev.tinyforge.export;

import dev.tinyforge.model.Family;
import dev.tinyforge.model.LayerWeights;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.Rope;
import dev.tinyforge.model.TensorNames;
import dev.tinyforge.model.WeightMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Every tensor of a model as a file stores it, by HF name, with rows produced on demand: q/k rows in
 * the RoPE layout the target format wants (the row moves come from {@link TensorNames}) and norm
 * weights in the target's convention (Gemma's HF files store w - 1, its GGUF files w). A tied output
 * is left out, as both formats leave it out.
 */
final class ModelTensors {
    /**
     * One tensor: {@code rows × cols} (a vector is one row), row r produced by {@code source}.
     *
     * @param vector a 1-D tensor (norm weight or bias)
     */
    record Tensor(String hfName, int rows, int cols, boolean vector, TensorEncoder.RowSource source) {
        long[] hfShape() {
            return vector ? new long[] {cols} : new long[] {rows, cols};
        }

        /** ggml order: row length first. */
        long[] ggufShape() {
            return vector ? new long[] {cols} : new long[] {cols, rows};
        }
    }

    private ModelTensors() {}

    /** The tensors as a GGUF file of the config's architecture stores them. */
    static List<Tensor> forGguf(ModelConfig c, ModelWeights w) {
        Rope.Layout layout = c.family().ggufPermutesQk() ? Rope.Layout.ADJACENT : Rope.Layout.HALVES;
        return of(c, w, layout, c.normWeightOffset());
    }

    /** The tensors as an HF checkpoint stores them. */
    static List<Tensor> forHf(ModelConfig c, ModelWeights w) {
        return of(c, w, Rope.Layout.HALVES, c.normWeightOffset() - (c.family() == Family.GEMMA ? 1f : 0f));
    }

    private static List<Tensor> of(ModelConfig c, ModelWeights w, Rope.Layout layout, float normShift) {
        IntUnaryOperator qk = rowMove(w.ropeLayout(), layout, c.headDim());
        List<Tensor> out = new ArrayList<>();
        out.add(matrix("model.embed_tokens.weight", w.embedding(), IntUnaryOperator.identity()));
        for (int l = 0; l < w.layers().size(); l++) {
            LayerWeights x = w.layers().get(l);
            String p = "model.layers." + l + ".";
            out.add(vector(p + "input_layernorm.weight", x.attentionNorm(), normShift, IntUnaryOperator.identity()));
            out.add(matrix(p + "self_attn.q_proj.weight", x.query(), qk));
            out.add(matrix(p + "self_attn.k_proj.weight", x.key(), qk));
            out.add(matrix(p + "self_attn.v_proj.weight", x.value(), IntUnaryOperator.identity()));
            out.add(matrix(p + "self_attn.o_proj.weight", x.output(), IntUnaryOperator.identity()));
            if (x.queryBias() != null) {
                out.add(vector(p + "self_attn.q_proj.bias", x.queryBias(), 0f, qk));
                out.add(vector(p + "self_attn.k_proj.bias", x.keyBias(), 0f, qk));
                out.add(vector(p + "self_attn.v_proj.bias", x.valueBias(), 0f, IntUnaryOperator.identity()));
            }
            out.add(vector(p + "post_attention_layernorm.weight", x.ffnNorm(), normShift, IntUnaryOperator.identity()));
            out.add(matrix(p + "mlp.gate_proj.weight", x.gate(), IntUnaryOperator.identity()));
            out.add(matrix(p + "mlp.up_proj.weight", x.up(), IntUnaryOperator.identity()));
            out.add(matrix(p + "mlp.down_proj.weight", x.down(), IntUnaryOperator.identity()));
        }
        out.add(vector("model.norm.weight", w.outputNorm(), normShift, IntUnaryOperator.identity()));
        if (w.output() != w.embedding()) out.add(matrix("lm_head.weight", w.output(), IntUnaryOperator.identity()));
        return out;
    }

    /**
     * For each target row, the source row it comes from when q/k rows move from layout {@code from}
     * to layout {@code to}.
     */
    static IntUnaryOperator rowMove(Rope.Layout from, Rope.Layout to, int headDim) {
        if (from == to) return IntUnaryOperator.identity();
        // HALVES -> ADJACENT: GGUF row g holds HF row ggufRowToHf(g); the way back inverts it.
        return from == Rope.Layout.HALVES ? g -> TensorNames.ggufRowToHf(g, headDim) : h -> TensorNames.hfRowToGguf(h, headDim);
    }

    private static Tensor matrix(String name, WeightMatrix m, IntUnaryOperator move) {
        return new Tensor(name, m.rows(), m.cols(), false, (r, row) -> m.row(move.applyAsInt(r), row, 0));
    }

    private static Tensor vector(String name, float[] v, float shift, IntUnaryOperator move) {
        return new Tensor(name, 1, v.length, true, (r, row) -> {
            for (int i = 0; i < v.length; i++) row[i] = v[move.applyAsInt(i)] + shift;
        });
    }
}
