package dev.tinyforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TensorNamesTest {
    @ParameterizedTest
    @CsvSource({
        "model.embed_tokens.weight, token_embd.weight",
        "model.norm.weight, output_norm.weight",
        "lm_head.weight, output.weight",
        "model.layers.0.self_attn.q_proj.weight, blk.0.attn_q.weight",
        "model.layers.11.self_attn.k_proj.bias, blk.11.attn_k.bias",
        "model.layers.3.self_attn.v_proj.weight, blk.3.attn_v.weight",
        "model.layers.3.self_attn.o_proj.weight, blk.3.attn_output.weight",
        "model.layers.3.input_layernorm.weight, blk.3.attn_norm.weight",
        "model.layers.3.post_attention_layernorm.weight, blk.3.ffn_norm.weight",
        "model.layers.29.mlp.gate_proj.weight, blk.29.ffn_gate.weight",
        "model.layers.29.mlp.up_proj.weight, blk.29.ffn_up.weight",
        "model.layers.29.mlp.down_proj.weight, blk.29.ffn_down.weight",
    })
    void mapsBothWays(String hf, String gguf) {
        assertEquals(gguf, TensorNames.hfToGguf(hf));
        assertEquals(hf, TensorNames.ggufToHf(gguf));
    }

    @Test
    void leavesUnknownTensorsUnmapped() {
        assertNull(TensorNames.hfToGguf("model.layers.0.self_attn.rotary_emb.inv_freq"));
        assertNull(TensorNames.ggufToHf("rope_freqs.weight"));
        assertNull(TensorNames.hfToGguf("model.layers.x.mlp.up_proj.weight"));
    }

    @Test
    void onlyLlamaArchitectureQkAreStoredPermuted() {
        assertTrue(TensorNames.isQkPermuted(Family.LLAMA, "blk.0.attn_q.weight"));
        assertTrue(TensorNames.isQkPermuted(Family.MISTRAL, "blk.2.attn_k.weight"));
        assertFalse(TensorNames.isQkPermuted(Family.LLAMA, "blk.0.attn_v.weight"));
        assertFalse(TensorNames.isQkPermuted(Family.QWEN2, "blk.0.attn_q.weight"));
        assertFalse(TensorNames.isQkPermuted(Family.GEMMA, "blk.0.attn_k.weight"));
    }

    /** The row permutation is a bijection within each head, and the two directions are inverses. */
    @ParameterizedTest
    @ValueSource(ints = {2, 8, 64, 128})
    void rowPermutationIsABijectionAndInvertible(int headDim) {
        int rows = headDim * 3;
        Set<Integer> seen = new HashSet<>();
        for (int row = 0; row < rows; row++) {
            int g = TensorNames.hfRowToGguf(row, headDim);
            assertEquals(row / headDim, g / headDim, "stays in its head");
            assertTrue(seen.add(g));
            assertEquals(row, TensorNames.ggufRowToHf(g, headDim));
        }
    }

    @Test
    void rotateHalfPairsBecomeAdjacent() {
        // HF row i pairs with i + d/2; in GGUF they sit at 2i and 2i + 1.
        int d = 8;
        for (int i = 0; i < d / 2; i++) {
            assertEquals(2 * i, TensorNames.hfRowToGguf(i, d));
            assertEquals(2 * i + 1, TensorNames.hfRowToGguf(i + d / 2, d));
        }
    }
}
