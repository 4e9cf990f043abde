package dev.tinyforge.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that knows how a weight is called in a Hugging Face checkpoint and in a GGUF file,
 * and how llama.cpp's converter reorders q/k rows between them.
 */
public final class TensorNames {
    private static final String[][] GLOBAL = {
        {"model.embed_tokens.weight", "token_embd.weight"},
        {"model.norm.weight", "output_norm.weight"},
        {"lm_head.weight", "output.weight"},
    };

    /** Per-layer names: HF suffix after {@code model.layers.N.}, GGUF suffix after {@code blk.N.}. */
    private static final String[][] LAYER = {
        {"self_attn.q_proj", "attn_q"},
        {"self_attn.k_proj", "attn_k"},
        {"self_attn.v_proj", "attn_v"},
        {"self_attn.o_proj", "attn_output"},
        {"input_layernorm", "attn_norm"},
        {"post_attention_layernorm", "ffn_norm"},
        {"mlp.gate_proj", "ffn_gate"},
        {"mlp.up_proj", "ffn_up"},
        {"mlp.down_proj", "ffn_down"},
    };

    private static final Pattern HF_LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)\\.(weight|bias)");
    private static final Pattern GGUF_LAYER = Pattern.compile("blk\\.(\\d+)\\.(.+)\\.(weight|bias)");

    private TensorNames() {}

    /** The GGUF name of an HF tensor, or null for tensors GGUF does not store (e.g. rotary caches). */
    public static String hfToGguf(String hf) {
        for (String[] pair : GLOBAL) {
            if (pair[0].equals(hf)) return pair[1];
        }
        Matcher m = HF_LAYER.matcher(hf);
        if (!m.matches()) return null;
        for (String[] pair : LAYER) {
            if (pair[0].equals(m.group(2))) return "blk." + m.group(1) + "." + pair[1] + "." + m.group(3);
        }
        return null;
    }

    /** The HF name of a GGUF tensor, or null for tensors HF checkpoints do not store (e.g. {@code rope_freqs}). */
    public static String ggufToHf(String gguf) {
        for (String[] pair : GLOBAL) {
            if (pair[1].equals(gguf)) return pair[0];
        }
        Matcher m = GGUF_LAYER.matcher(gguf);
        if (!m.matches()) return null;
        for (String[] pair : LAYER) {
            if (pair[1].equals(m.group(2))) return "model.layers." + m.group(1) + "." + pair[0] + "." + m.group(3);
        }
        return null;
    }

    /** Whether this GGUF tensor's rows are stored in llama.cpp's RoPE order for the given family. */
    public static boolean isQkPermuted(Family family, String ggufName) {
        if (!family.ggufPermutesQk()) return false;
        Matcher m = GGUF_LAYER.matcher(ggufName);
        return m.matches() && (m.group(2).equals("attn_q") || m.group(2).equals("attn_k"));
    }

    /**
     * Where HF row {@code row} of a q/k projection goes in GGUF. HF keeps each head's RoPE pairs
     * half a head apart (rotate_half: i pairs with i + d/2); llama.cpp's "normal" rope wants them
     * adjacent (2i, 2i+1). Rows are grouped by head of {@code headDim} rows.
     */
    public static int hfRowToGguf(int row, int headDim) {
        int half = headDim / 2;
        int head = row / headDim, r = row % headDim;
        return head * headDim + 2 * (r % half) + r / half;
    }

    /** Inverse of {@link #hfRowToGguf}. */
    public static int ggufRowToHf(int row, int headDim) {
        int half = headDim / 2;
        int head = row / headDim, r = row % headDim;
        return head * headDim + (r % 2) * half + r / 2;
    }
}
