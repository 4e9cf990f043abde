package dev.tinyforge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tinyforge.util.BadInputException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GgufConfigReaderTest {
    /** The keys llama.cpp's llama2.c converter writes for stories260K (no rope base, no vocab size). */
    private static Map<String, Object> stories260K() {
        Map<String, Object> m = new HashMap<>();
        m.put("general.architecture", "llama");
        m.put("llama.context_length", 128L);
        m.put("llama.embedding_length", 64L);
        m.put("llama.feed_forward_length", 172L);
        m.put("llama.block_count", 5L);
        m.put("llama.attention.head_count", 8L);
        m.put("llama.attention.head_count_kv", 4L);
        m.put("llama.rope.dimension_count", 8L);
        m.put("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        return m;
    }

    @Test
    void appliesLlamaCppDefaults() {
        ModelConfig c = GgufConfigReader.read(stories260K(), Set.of("token_embd.weight", "output.weight"), 512, "s.gguf");
        assertEquals(new ModelConfig(Family.LLAMA, 512, 64, 172, 5, 8, 4, 8, 128, (double) 1e-5f, 10000,
                RopeScaling.NONE, false, false, Activation.SILU, 0f, false, 0), c);
    }

    @Test
    void seesTiedEmbeddingsAndBiasesInTheTensorList() {
        Map<String, Object> m = stories260K();
        m.put("general.architecture", "qwen2");
        Map<String, Object> qwen = new HashMap<>();
        m.forEach((k, v) -> qwen.put(k.replace("llama.", "qwen2."), v));
        qwen.put("qwen2.rope.freq_base", 1e6f);
        ModelConfig c = GgufConfigReader.read(qwen, Set.of("token_embd.weight", "blk.0.attn_q.bias"), 512, "q.gguf");
        assertEquals(true, c.tiedEmbeddings());
        assertEquals(true, c.qkvBias());
        assertEquals(1e6, c.ropeTheta());
    }

    @Test
    void rejectsUnknownArchitecturesAndBadValues() {
        Map<String, Object> m = stories260K();
        m.put("general.architecture", "mamba");
        assertEquals("m.gguf: architecture \"mamba\" is not supported (supported: llama, qwen2, gemma)",
                assertThrows(BadInputException.class, () -> GgufConfigReader.read(m, Set.of(), 512, "m.gguf")).getMessage());
        Map<String, Object> bad = stories260K();
        bad.put("llama.block_count", 1.5f);
        assertEquals("b.gguf: metadata key llama.block_count must be an integer, found 1.5",
                assertThrows(BadInputException.class, () -> GgufConfigReader.read(bad, Set.of(), 512, "b.gguf")).getMessage());
        Map<String, Object> huge = stories260K();
        huge.put("llama.block_count", 4_000_000_000L);
        assertThrows(BadInputException.class, () -> GgufConfigReader.read(huge, Set.of(), 512, "h.gguf"));
    }
}
