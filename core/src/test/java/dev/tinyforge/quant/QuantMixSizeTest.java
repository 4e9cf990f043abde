package dev.tinyforge.quant;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The size a Q4_K_M export of a SmolLM2-135M-shaped model comes to, from llama-quantize's per-tensor
 * choices: hidden 576 is not a multiple of 256, so most matrices fall back from K-quants to the
 * 32-value block types, which is what real SmolLM2 Q4_K_M files hold too.
 */
class QuantMixSizeTest {
    private static final int HIDDEN = 576, FFN = 1536, LAYERS = 30, HEADS = 9, KV_HEADS = 3, VOCAB = 49152;

    @Test
    void q4KmOfA135mShapedModelIsAtMostThirtyPercentOfF32() {
        for (boolean tied : new boolean[] {false, true}) {
            List<QuantMix.Tensor> tensors = tensors(tied);
            long f32 = 0, quantized = 0;
            for (QuantMix.Choice c : QuantMix.choose(FileType.Q4_K_M, false, new QuantMix.Model("llama", LAYERS, HEADS, KV_HEADS, 0),
                    tensors)) {
                long elements = 1;
                for (long d : c.tensor().shape()) elements *= d;
                f32 += GgmlType.F32.byteSize(elements);
                quantized += c.type().byteSize(elements);
            }
            double share = (double) quantized / f32;
            assertTrue(share <= 0.30, (tied ? "tied" : "untied") + ": Q4_K_M is " + share * 100 + "% of F32");
            assertTrue(share > 0.12, "a 4-bit mixture cannot be below 4 bits per weight: " + share * 100 + "%");
        }
    }

    private static List<QuantMix.Tensor> tensors(boolean tied) {
        List<QuantMix.Tensor> t = new ArrayList<>();
        t.add(new QuantMix.Tensor("token_embd.weight", GgmlType.F32, new long[] {HIDDEN, VOCAB}));
        t.add(new QuantMix.Tensor("output_norm.weight", GgmlType.F32, new long[] {HIDDEN}));
        if (!tied) t.add(new QuantMix.Tensor("output.weight", GgmlType.F32, new long[] {HIDDEN, VOCAB}));
        int kv = HIDDEN / HEADS * KV_HEADS;
        for (int l = 0; l < LAYERS; l++) {
            String p = "blk." + l + ".";
            t.add(new QuantMix.Tensor(p + "attn_norm.weight", GgmlType.F32, new long[] {HIDDEN}));
            t.add(new QuantMix.Tensor(p + "attn_q.weight", GgmlType.F32, new long[] {HIDDEN, HIDDEN}));
            t.add(new QuantMix.Tensor(p + "attn_k.weight", GgmlType.F32, new long[] {HIDDEN, kv}));
            t.add(new QuantMix.Tensor(p + "attn_v.weight", GgmlType.F32, new long[] {HIDDEN, kv}));
            t.add(new QuantMix.Tensor(p + "attn_output.weight", GgmlType.F32, new long[] {HIDDEN, HIDDEN}));
            t.add(new QuantMix.Tensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {HIDDEN}));
            t.add(new QuantMix.Tensor(p + "ffn_gate.weight", GgmlType.F32, new long[] {HIDDEN, FFN}));
            t.add(new QuantMix.Tensor(p + "ffn_up.weight", GgmlType.F32, new long[] {HIDDEN, FFN}));
            t.add(new QuantMix.Tensor(p + "ffn_down.weight", GgmlType.F32, new long[] {FFN, HIDDEN}));
        }
        return t;
    }
}
