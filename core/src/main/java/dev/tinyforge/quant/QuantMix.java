package dev.tinyforge.quant;

import dev.tinyforge.util.BadInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Which type each tensor of a model gets under a {@link FileType}, as llama.cpp's
 * {@code llama-quantize} decides it ({@code src/llama-quant.cpp}: {@code tensor_allows_quantization},
 * {@code llama_tensor_get_type_impl}, {@code tensor_type_fallback}), for llama-family models without
 * an importance matrix or per-tensor overrides.
 *
 * <ul>
 *   <li>Only tensors with at least two non-trivial dimensions whose name ends in "weight" (and is not
 *       a norm, MoE router and a few others) are converted; the rest keep their type.</li>
 *   <li>{@code output.weight}, or {@code token_embd.weight} when there is no output (tied embeddings),
 *       gets Q6_K unless the file type is Q8_0 (Q8_0 when its rows do not fit the default type).</li>
 *   <li>attn_v and ffn_down get more bits in some layers: Q4_K_M/Q5_K_M use Q6_K in layers where
 *       {@link #usesMoreBits} holds, Q3_K_M uses Q5_K for the first two attn_v and Q4_K for the rest
 *       and for all ffn_down and attn_output, Q2_K uses Q3_K (Q4_K for attn_v when heads share a KV
 *       head four or more ways), Q4_K_S uses Q5_K for the first four attn_v, Q3_K_L uses Q5_K.</li>
 *   <li>With {@code pure}, every converted tensor gets the default type.</li>
 *   <li>A row length the chosen type's block does not divide falls back: Q2_K/Q3_K to Q4_0, Q4_K to
 *       Q5_0, Q5_K to Q5_1, Q6_K to Q8_0, and to F16 if 32 does not divide it either.</li>
 * </ul>
 *
 * The attn_v and ffn_down rules count tensors in llama-quantize's order ({@link #LLAMA_QUANTIZE_ORDER}),
 * so {@link #choose} sorts the tensors that way first. Version notes: this follows llama.cpp's current
 * tree (matching the fixtures of release v0.5.0); older trees sent Q2_K/Q3_K fallbacks to IQ4_NL, did not
 * fall back under {@code --pure}, and treated a fused attn_qkv like attn_q rather than attn_v.
 */
public final class QuantMix {
    private QuantMix() {}

    /** What the rules read from the model's hyperparameters. */
    public record Model(String architecture, int layers, int heads, int kvHeads, int experts) {
        public Model {
            Objects.requireNonNull(architecture);
        }

        /** Query heads per KV head ({@code hparams.n_gqa()}); 0 when unknown. */
        int gqa() {
            return kvHeads <= 0 ? 0 : heads / kvHeads;
        }

        /** llama.cpp's LLM_TYPE_70B: an 80-layer llama with grouped-query attention. */
        boolean is70B() {
            return architecture.equals("llama") && layers == 80 && heads != kvHeads;
        }

        boolean isFalcon() {
            return architecture.equals("falcon");
        }
    }

    /** A tensor to place: name, current type, shape in ggml order (row length first). */
    public record Tensor(String name, GgmlType type, long[] shape) {
        public Tensor {
            Objects.requireNonNull(name);
            Objects.requireNonNull(type);
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        long rowLength() {
            return shape.length == 0 ? 1 : shape[0];
        }

        /** ggml_n_dims: trailing dimensions of size 1 do not count. */
        int dimensions() {
            int n = shape.length;
            while (n > 1 && shape[n - 1] == 1) n--;
            return Math.max(1, n);
        }
    }

    /**
     * The decision for one tensor.
     *
     * @param fallback whether the row length forced a type other than the rules' choice
     */
    public record Choice(Tensor tensor, GgmlType type, boolean fallback) {
        public String name() {
            return tensor.name();
        }

        /** Whether the tensor's bytes change (llama-quantize copies a tensor whose type stays). */
        public boolean converts() {
            return type != tensor.type();
        }
    }

    /**
     * llama.cpp's {@code weight_name_comparer}, the order llama-quantize writes tensors in: tensors
     * outside blocks first, then block 0, 1, 2 ... (numerically), each group sorted by name.
     */
    public static final Comparator<String> LLAMA_QUANTIZE_ORDER =
            Comparator.comparingInt(QuantMix::blockOf).thenComparing(Comparator.naturalOrder());

    /** The block number of {@code blk.N.*} names (as C's {@code sscanf("blk.%d.")}), else -1. */
    static int blockOf(String name) {
        if (!name.startsWith("blk.")) return -1;
        int i = 4, sign = 1;
        if (i < name.length() && (name.charAt(i) == '-' || name.charAt(i) == '+')) {
            if (name.charAt(i) == '-') sign = -1;
            i++;
        }
        long value = 0;
        int digits = 0;
        while (i < name.length() && Character.isDigit(name.charAt(i)) && value < Integer.MAX_VALUE) {
            value = value * 10 + (name.charAt(i++) - '0');
            digits++;
        }
        return digits == 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, value) * sign;
    }

    /** Decides every tensor's type; the result is in {@link #LLAMA_QUANTIZE_ORDER}. */
    public static List<Choice> choose(FileType fileType, boolean pure, Model model, List<Tensor> tensors) {
        List<Tensor> ordered = new ArrayList<>(tensors);
        ordered.sort(Comparator.comparing(Tensor::name, LLAMA_QUANTIZE_ORDER));
        Counters counters = new Counters(model, ordered);
        List<Choice> choices = new ArrayList<>(ordered.size());
        for (Tensor t : ordered) choices.add(choose(fileType, pure, model, counters, t));
        return choices;
    }

    /** Per-model state of llama.cpp's {@code quantize_state_impl}: how many attn_v / ffn_* were seen so far. */
    private static final class Counters {
        final int attentionV, layers;
        final boolean tiedEmbeddings;
        int seenAttentionV, seenFfnDown, seenFfnGate, seenFfnUp;

        Counters(Model model, List<Tensor> tensors) {
            int v = 0;
            boolean output = false;
            for (Tensor t : tensors) {
                Category c = Category.of(t.name());
                if (c.isAttentionV()) v++;
                if (c == Category.OUTPUT) output = true;
            }
            attentionV = v;
            tiedEmbeddings = !output;
            layers = model.layers();
        }
    }

    private static Choice choose(FileType fileType, boolean pure, Model model, Counters counters, Tensor t) {
        if (!allowsQuantization(t)) return new Choice(t, t.type(), false);
        GgmlType type = fileType.defaultType();
        if (!type.isQuantized()) return new Choice(t, type, false);
        if (!pure) type = mixtureType(fileType, model, counters, t, Category.of(t.name()), type);
        GgmlType fitted = fallback(t, type);
        return new Choice(t, fitted, fitted != type);
    }

    /** llama.cpp's {@code tensor_allows_quantization} (with default parameters). */
    static boolean allowsQuantization(Tensor t) {
        if (t.dimensions() < 2) return false;
        String name = t.name();
        if (!name.endsWith("weight") || name.contains("_norm.weight")) return false;
        if (name.equals("position_embd.weight") || name.equals("token_types.weight")) return false;
        for (String excluded : NOT_QUANTIZED) {
            if (name.contains(excluded)) return false;
        }
        return true;
    }

    /** Name parts llama.cpp never quantizes: routers, tiny or positional tensors of other architectures. */
    private static final List<String> NOT_QUANTIZED = List.of(
            "ffn_gate_inp.weight", "ffn_gate_tid2eid.weight", "altup", "laurel", "per_layer_model_proj",
            "ssm_conv1d", "shortconv.conv.weight", "indexer.k_proj.weight", "indexer.q_proj.weight",
            "time_mix_first.weight", "time_mix_w0.weight", "time_mix_w1.weight", "time_mix_w2.weight",
            "time_mix_v0.weight", "time_mix_v1.weight", "time_mix_v2.weight", "time_mix_a0.weight",
            "time_mix_a1.weight", "time_mix_a2.weight", "time_mix_g1.weight", "time_mix_g2.weight",
            "time_mix_decay_w1.weight", "time_mix_decay_w2.weight", "time_mix_lerp_fused.weight",
            "attn_rel_b.weight", ".position_embd", "sam.pos_embd", "sam.neck.", "sam.net_", ".rel_pos",
            ".patch_embd", ".patch_merger", "a.rvq.codebook", "mm.a.code_embd");

    /** llama.cpp's tensor categories, by name. */
    private enum Category {
        TOKEN_EMBD, ATTENTION_Q, ATTENTION_V, ATTENTION_K, ATTENTION_QKV, ATTENTION_KV_B, ATTENTION_OUTPUT,
        FFN_UP, FFN_GATE, FFN_DOWN, OUTPUT, OTHER;

        static Category of(String name) {
            if (name.equals("output.weight")) return OUTPUT;
            if (name.equals("token_embd.weight") || name.equals("per_layer_token_embd.weight")) return TOKEN_EMBD;
            if (name.contains("attn_qkv.weight")) return ATTENTION_QKV;
            if (name.contains("attn_kv_b.weight")) return ATTENTION_KV_B;
            if (name.contains("attn_v.weight")) return ATTENTION_V;
            if (name.contains("attn_k.weight")) return ATTENTION_K;
            if (name.contains("attn_q.weight")) return ATTENTION_Q;
            if (name.contains("attn_output.weight")) return ATTENTION_OUTPUT;
            if (name.contains("ffn_up")) return FFN_UP;
            if (name.contains("ffn_gate")) return FFN_GATE;
            if (name.contains("ffn_down")) return FFN_DOWN;
            return OTHER;
        }

        /** attn_v and the fused tensors that hold it: the most quantization-sensitive ones. */
        boolean isAttentionV() {
            return this == ATTENTION_V || this == ATTENTION_QKV || this == ATTENTION_KV_B;
        }
    }

    /**
     * llama.cpp's {@code use_more_bits}: the first and last eighth of the layers and every third one
     * in between get more bits.
     */
    public static boolean usesMoreBits(int layer, int layers) {
        return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
    }

    /** {@code llama_tensor_get_type_impl} for the non-IQ file types. */
    private static GgmlType mixtureType(FileType f, Model model, Counters counters, Tensor t, Category category, GgmlType type) {
        boolean falcon = model.isFalcon();
        if (category == Category.OUTPUT || (counters.tiedEmbeddings && category == Category.TOKEN_EMBD)) {
            if (falcon || t.rowLength() % type.blockSize() != 0) return GgmlType.Q8_0;
            return type != GgmlType.Q8_0 ? GgmlType.Q6_K : type;
        }
        if (category == Category.TOKEN_EMBD) return type;
        if (category.isAttentionV()) {
            int seen = counters.seenAttentionV++;
            switch (f) {
                case Q2_K -> type = model.gqa() >= 4 ? GgmlType.Q4_K : GgmlType.Q3_K;
                case Q3_K_M -> type = seen < 2 ? GgmlType.Q5_K : GgmlType.Q4_K;
                case Q3_K_L -> type = GgmlType.Q5_K;
                case Q4_K_M, Q5_K_M -> {
                    if (usesMoreBits(seen, counters.attentionV)) type = GgmlType.Q6_K;
                }
                case Q4_K_S -> {
                    if (seen < 4) type = GgmlType.Q5_K;
                }
                default -> { }
            }
            // in the 70B model 8 heads share each attn_v, which is small: more bits cost little
            if (model.is70B() && (type == GgmlType.Q3_K || type == GgmlType.Q4_K)) type = GgmlType.Q5_K;
            if (model.experts() == 8) type = GgmlType.Q8_0;
            return type;
        }
        if (category == Category.ATTENTION_K) return model.experts() == 8 ? GgmlType.Q8_0 : type;
        if (category == Category.FFN_DOWN) {
            int layer = layerOf(t.name(), counters.seenFfnDown++, counters.layers, model);
            int n = counters.layers;
            return switch (f) {
                case Q2_K -> GgmlType.Q3_K;
                case Q3_K_M -> layer < n / 16 ? GgmlType.Q5_K
                        : !falcon || usesMoreBits(layer, n) ? GgmlType.Q4_K : GgmlType.Q3_K;
                case Q3_K_L -> falcon ? GgmlType.Q4_K : GgmlType.Q5_K;
                case Q4_K_M -> falcon
                        ? (layer < n / 16 ? GgmlType.Q6_K : usesMoreBits(layer, n) ? GgmlType.Q5_K : GgmlType.Q4_K)
                        : (usesMoreBits(layer, n) ? GgmlType.Q6_K : type);
                case Q5_K_M -> usesMoreBits(layer, n) ? GgmlType.Q6_K : type;
                case Q4_K_S -> !falcon && layer < n / 8 ? GgmlType.Q5_K : type;
                default -> type;
            };
        }
        if (category == Category.ATTENTION_OUTPUT) {
            if (falcon) return f == FileType.Q3_K_L ? GgmlType.Q4_K : type;
            if (model.experts() == 8) {
                return switch (f) {
                    case Q2_K, Q3_K_S, Q3_K_M, Q4_K_S, Q4_K_M -> GgmlType.Q5_K;
                    default -> type;
                };
            }
            return switch (f) {
                case Q2_K -> GgmlType.Q3_K;
                case Q3_K_M -> GgmlType.Q4_K;
                case Q3_K_L -> GgmlType.Q5_K;
                default -> type;
            };
        }
        if (category == Category.FFN_GATE) {
            layerOf(t.name(), counters.seenFfnGate++, counters.layers, model); // validates MoE names, as llama.cpp does
        } else if (category == Category.FFN_UP) {
            layerOf(t.name(), counters.seenFfnUp++, counters.layers, model);
        }
        return type;
    }

    /**
     * The layer a ffn tensor belongs to: its position among its kind, or for mixture-of-experts models
     * (whose expert tensors are not one per layer) the number in its name.
     */
    private static int layerOf(String name, int position, int layers, Model model) {
        if (model.experts() <= 1) return position;
        int layer = blockOf(name);
        if (layer < 0 || layer >= layers) {
            throw new BadInputException("tensor " + name + ": cannot tell its layer (expected blk.N. with N below " + layers + ")");
        }
        return layer;
    }

    /** llama.cpp's {@code tensor_type_fallback}: a type whose block fits the row length. */
    private static GgmlType fallback(Tensor t, GgmlType type) {
        long cols = t.rowLength();
        if (cols % type.blockSize() == 0) return type;
        GgmlType narrower = switch (type) {
            case Q2_K, Q3_K -> GgmlType.Q4_0;
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            default -> throw new BadInputException("tensor " + t.name() + ": its rows of " + cols
                    + " values do not fit " + type + " blocks of " + type.blockSize()
                    + " and llama.cpp defines no fallback for " + type);
        };
        return cols % narrower.blockSize() == 0 ? narrower : GgmlType.F16;
    }
}
