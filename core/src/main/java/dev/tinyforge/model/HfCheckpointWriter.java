package dev.tinyforge.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.io.safetensors.SafetensorsWriter;
import dev.tinyforge.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a model as a Hugging Face checkpoint: config.json and model.safetensors (F32) with the
 * names transformers expects, q/k rows in HF order, and no lm_head when the output is tied.
 */
public final class HfCheckpointWriter {
    private HfCheckpointWriter() {}

    public static void write(ModelConfig c, ModelWeights w, Path dir) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter out = new SafetensorsWriter().putMetadata("format", "pt");
        boolean permuted = w.ropeLayout() == Rope.Layout.ADJACENT;
        matrix(out, "model.embed_tokens.weight", w.embedding(), false, c);
        for (int l = 0; l < w.layers().size(); l++) {
            LayerWeights layer = w.layers().get(l);
            String p = "model.layers." + l + ".";
            vector(out, p + "input_layernorm.weight", layer.attentionNorm());
            matrix(out, p + "self_attn.q_proj.weight", layer.query(), permuted, c);
            matrix(out, p + "self_attn.k_proj.weight", layer.key(), permuted, c);
            matrix(out, p + "self_attn.v_proj.weight", layer.value(), false, c);
            matrix(out, p + "self_attn.o_proj.weight", layer.output(), false, c);
            if (layer.queryBias() != null) {
                vector(out, p + "self_attn.q_proj.bias", permuted ? unpermute(layer.queryBias(), c) : layer.queryBias());
                vector(out, p + "self_attn.k_proj.bias", permuted ? unpermute(layer.keyBias(), c) : layer.keyBias());
                vector(out, p + "self_attn.v_proj.bias", layer.valueBias());
            }
            vector(out, p + "post_attention_layernorm.weight", layer.ffnNorm());
            matrix(out, p + "mlp.gate_proj.weight", layer.gate(), false, c);
            matrix(out, p + "mlp.up_proj.weight", layer.up(), false, c);
            matrix(out, p + "mlp.down_proj.weight", layer.down(), false, c);
        }
        vector(out, "model.norm.weight", w.outputNorm());
        if (w.output() != w.embedding()) matrix(out, "lm_head.weight", w.output(), false, c);
        out.write(dir.resolve("model.safetensors"));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(dir.resolve("config.json"), o -> o.write(json.writeValueAsBytes(config(c, json))));
    }

    /** config.json for transformers' Llama/Mistral/Qwen2/Gemma classes. */
    public static ObjectNode config(ModelConfig c, ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        String type = c.family().hfModelType();
        String cls = switch (c.family()) {
            case LLAMA -> "LlamaForCausalLM";
            case MISTRAL -> "MistralForCausalLM";
            case QWEN2 -> "Qwen2ForCausalLM";
            case GEMMA -> "GemmaForCausalLM";
        };
        n.putArray("architectures").add(cls);
        n.put("model_type", type);
        n.put("vocab_size", c.vocabSize());
        n.put("hidden_size", c.hiddenSize());
        n.put("intermediate_size", c.intermediateSize());
        n.put("num_hidden_layers", c.layers());
        n.put("num_attention_heads", c.heads());
        n.put("num_key_value_heads", c.kvHeads());
        n.put("head_dim", c.headDim());
        n.put("hidden_act", c.activation() == Activation.SILU ? "silu" : "gelu_pytorch_tanh");
        n.put("max_position_embeddings", c.contextLength());
        n.put("rms_norm_eps", c.normEps());
        n.put("rope_theta", c.ropeTheta());
        switch (c.ropeScaling()) {
            case RopeScaling.None none -> n.putNull("rope_scaling");
            case RopeScaling.Linear l -> n.putObject("rope_scaling").put("rope_type", "linear").put("factor", l.factor());
            case RopeScaling.Llama3 l -> n.putObject("rope_scaling").put("rope_type", "llama3").put("factor", l.factor())
                    .put("low_freq_factor", l.lowFreqFactor()).put("high_freq_factor", l.highFreqFactor())
                    .put("original_max_position_embeddings", l.originalContextLength());
        }
        if (c.family() == Family.MISTRAL && c.slidingWindow() > 0) n.put("sliding_window", c.slidingWindow());
        n.put("tie_word_embeddings", c.tiedEmbeddings());
        n.put("torch_dtype", "float32");
        return n;
    }

    private static void matrix(SafetensorsWriter out, String name, WeightMatrix m, boolean unpermute, ModelConfig c) {
        float[] data = new float[Math.multiplyExact(m.rows(), m.cols())];
        for (int r = 0; r < m.rows(); r++) {
            int target = unpermute ? TensorNames.ggufRowToHf(r, c.headDim()) : r;
            m.row(r, data, target * m.cols());
        }
        out.addFloats(name, new long[] {m.rows(), m.cols()}, data);
    }

    private static float[] unpermute(float[] v, ModelConfig c) {
        float[] out = new float[v.length];
        for (int r = 0; r < v.length; r++) out[TensorNames.ggufRowToHf(r, c.headDim())] = v[r];
        return out;
    }

    private static void vector(SafetensorsWriter out, String name, float[] v) {
        out.addFloats(name, new long[] {v.length}, v);
    }
}
